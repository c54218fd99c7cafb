-- A volunteer who answers "not for me" to a note is not written to about
-- that offer again, nor shown it among the offers near them.
ALTER TABLE notes ADD COLUMN declined_at BIGINT;

-- What the address service answered, so that an address looked up once
-- is not looked up again; purged with the delivered messages.
CREATE TABLE geocodes (
    query TEXT PRIMARY KEY,
    answer TEXT NOT NULL,
    looked_up_at BIGINT NOT NULL
);
