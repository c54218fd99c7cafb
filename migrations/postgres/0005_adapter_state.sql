-- What a platform adapter keeps between runs: how far it has read
-- (Matrix's sync position) and what it opened (direct rooms per person).
CREATE TABLE adapter_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
