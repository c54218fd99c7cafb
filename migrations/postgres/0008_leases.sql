-- Work only one process may do at a time (polling a Telegram bot, syncing
-- a Matrix account): held by one process until `until_at` and renewed
-- while it lives; another takes it once that time has passed.
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until_at BIGINT NOT NULL
);
