-- What the bot must do at a given time: reminders and escalations of an
-- outing. A job is written in the transaction of the change that causes
-- it, so that a claim never commits without its reminders. A process
-- takes due jobs with a lease (`leased_until`, unix seconds); one that
-- dies holds them until the lease ends, then another takes them.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    offer_number BIGINT,
    due_at BIGINT NOT NULL,
    -- pending, done, cancelled or failed
    status TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    leased_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    done_at BIGINT
);
-- Due jobs are found through this index alone, however many wait.
CREATE INDEX jobs_due ON jobs (due_at) WHERE status = 'pending';
CREATE INDEX jobs_offer ON jobs (offer_number) WHERE status = 'pending';
