-- Access tokens issued before this moment (epoch ms) are void: set on role change and
-- deactivation so every node, and a restarted one, refuses older tokens.
ALTER TABLE users ADD COLUMN tokens_valid_after INTEGER;
CREATE INDEX users_tokens_valid_after_idx ON users (tokens_valid_after);
-- Ended sessions are found by their revocation time.
CREATE INDEX refresh_tokens_revoked_idx ON refresh_tokens (revoked_at);
