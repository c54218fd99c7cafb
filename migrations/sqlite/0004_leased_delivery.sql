-- Delivery shared by several processes. A message on its way is leased to
-- one of them until `leased_until`; a message that failed waits until
-- `not_before`. Both in milliseconds since 1970, as sending limits count
-- within a second.
ALTER TABLE outbox ADD COLUMN leased_until BIGINT;
ALTER TABLE outbox ADD COLUMN not_before BIGINT;
CREATE INDEX outbox_chat_pending ON outbox (platform, chat, id) WHERE status = 'pending';

-- The sends of every process, as a platform's sending limits count them:
-- when each left and when its answer came back (NULL while on its way).
CREATE TABLE sends (
    platform TEXT NOT NULL,
    chat TEXT NOT NULL,
    outbox_id BIGINT NOT NULL,
    left_ms BIGINT NOT NULL,
    answered_ms BIGINT,
    weight BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX sends_recent ON sends (platform, left_ms);
CREATE INDEX sends_outbox ON sends (outbox_id);
