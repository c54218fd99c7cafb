-- An offer kept for a volunteer who claimed it before opening a private
-- chat with the bot, until they open one or the time runs out.
ALTER TABLE offers ADD COLUMN held_by BIGINT REFERENCES persons (id);
ALTER TABLE offers ADD COLUMN held_until BIGINT;
