-- One pending occurrence of each recurring job (jobs about no outing),
-- however many processes plan it at once.
CREATE UNIQUE INDEX jobs_recurring ON jobs (kind) WHERE status = 'pending' AND offer_number IS NULL;
