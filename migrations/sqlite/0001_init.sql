-- The whole schema on SQLite. Times are unix seconds (UTC), dates are
-- 'YYYY-MM-DD' text, flags are 0 or 1, lists and areas are JSON text: the
-- same SQL then runs on PostgreSQL through sqlx's Any driver.

CREATE TABLE inbox (
    platform TEXT NOT NULL,
    event_id TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (platform, event_id)
);

CREATE TABLE persons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    lang TEXT NOT NULL,
    verified BIGINT NOT NULL DEFAULT 0,
    roles BIGINT NOT NULL DEFAULT 0,
    area TEXT NOT NULL,
    radius_km REAL NOT NULL,
    availability TEXT NOT NULL,
    paused_until TEXT,
    name_public BIGINT NOT NULL DEFAULT 0,
    consent_at BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE accounts (
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES persons (id),
    handle TEXT,
    private_chat TEXT,
    PRIMARY KEY (platform, user_id)
);
CREATE INDEX accounts_handle ON accounts (platform, LOWER(handle));
CREATE INDEX accounts_person ON accounts (person_id);

CREATE TABLE elders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    phone TEXT NOT NULL,
    address TEXT NOT NULL,
    lat REAL,
    lon REAL,
    neighbourhood TEXT,
    languages TEXT NOT NULL,
    mobility TEXT NOT NULL,
    caregiver TEXT,
    consent BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE offers (
    number INTEGER PRIMARY KEY AUTOINCREMENT,
    elder_id BIGINT NOT NULL REFERENCES elders (id),
    kind TEXT NOT NULL,
    start_at BIGINT NOT NULL,
    duration_min BIGINT NOT NULL,
    destination TEXT NOT NULL,
    meeting_point TEXT,
    needs TEXT NOT NULL,
    status TEXT NOT NULL,
    claimant BIGINT REFERENCES persons (id),
    neighbourhood TEXT,
    public_lat REAL,
    public_lon REAL,
    target_groups TEXT NOT NULL,
    flagged BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL REFERENCES persons (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX offers_status_start ON offers (status, start_at);
CREATE INDEX offers_elder_start ON offers (elder_id, start_at);
CREATE INDEX offers_claimant ON offers (claimant);

-- Public numbers start at 101, so that a number never looks like a count.
INSERT INTO sqlite_sequence (name, seq) VALUES ('offers', 100);

CREATE TABLE offer_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    offer BIGINT NOT NULL REFERENCES offers (number),
    from_status TEXT,
    to_status TEXT NOT NULL,
    by_person BIGINT NOT NULL REFERENCES persons (id),
    changed_at BIGINT NOT NULL
);
CREATE INDEX offer_history_offer ON offer_history (offer, id);
CREATE INDEX offer_history_claims ON offer_history (to_status, changed_at);

CREATE TABLE posts (
    platform TEXT NOT NULL,
    chat TEXT NOT NULL,
    post_key TEXT NOT NULL,
    message_id TEXT,
    PRIMARY KEY (platform, chat, post_key)
);
CREATE INDEX posts_key ON posts (post_key);

CREATE TABLE chat_groups (
    platform TEXT NOT NULL,
    chat TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    neighbourhoods TEXT NOT NULL,
    lang TEXT NOT NULL,
    PRIMARY KEY (platform, chat)
);

CREATE TABLE members (
    platform TEXT NOT NULL,
    chat TEXT NOT NULL,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    person_id BIGINT REFERENCES persons (id),
    verified BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (platform, chat, user_id)
);
CREATE INDEX members_person ON members (person_id);

CREATE TABLE reports (
    offer BIGINT PRIMARY KEY REFERENCES offers (number),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    outcome TEXT NOT NULL,
    duration_min BIGINT,
    rating BIGINT,
    entered_home BIGINT NOT NULL,
    concerns TEXT NOT NULL,
    note TEXT,
    reported_at BIGINT NOT NULL
);
CREATE INDEX reports_person ON reports (person_id);

CREATE TABLE feedback (
    offer BIGINT PRIMARY KEY REFERENCES offers (number),
    by_person BIGINT NOT NULL REFERENCES persons (id),
    outcome TEXT NOT NULL,
    rating BIGINT,
    note TEXT,
    recorded_at BIGINT NOT NULL
);

CREATE TABLE alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    offer BIGINT NOT NULL REFERENCES offers (number),
    elder_id BIGINT NOT NULL REFERENCES elders (id),
    raised_by BIGINT NOT NULL REFERENCES persons (id),
    concerns TEXT NOT NULL,
    note TEXT,
    referred BIGINT NOT NULL DEFAULT 0,
    raised_at BIGINT NOT NULL
);

CREATE TABLE referrals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    alert BIGINT NOT NULL REFERENCES alerts (id),
    service TEXT NOT NULL,
    elder_agreed BIGINT NOT NULL,
    by_person BIGINT NOT NULL REFERENCES persons (id),
    referred_at BIGINT NOT NULL
);
CREATE INDEX referrals_alert ON referrals (alert);

CREATE TABLE dialogues (
    platform TEXT NOT NULL,
    chat TEXT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES persons (id),
    state TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (platform, chat, person_id)
);
CREATE INDEX dialogues_person ON dialogues (person_id);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    platform TEXT NOT NULL,
    chat TEXT NOT NULL,
    -- Set for a keyed send, whose message id is kept in posts.
    post_key TEXT,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    message_id TEXT
);
CREATE INDEX outbox_pending ON outbox (platform, status, id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor BIGINT NOT NULL REFERENCES persons (id),
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    logged_at BIGINT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor);
