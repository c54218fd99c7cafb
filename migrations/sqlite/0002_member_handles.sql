-- The @handle a member had when they joined, so that an ambassador can
-- name someone who never wrote to the bot.
ALTER TABLE members ADD COLUMN handle TEXT;
