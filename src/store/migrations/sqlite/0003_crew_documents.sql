-- The YAML text a crew was last written in, kept so comments and layout survive an export
-- (config stays the normalized JSON document). NULL when the crew was written as JSON.
ALTER TABLE crews ADD COLUMN source_yaml TEXT;
ALTER TABLE crew_versions ADD COLUMN source_yaml TEXT;
-- The version the active deployment pins (NULL when never deployed).
ALTER TABLE crews ADD COLUMN deployed_version INTEGER;
CREATE INDEX crews_team_status_idx ON crews (team_id, status, updated_at);
-- Environment values (`env`) and credentials owned by another object (`llm_api_key`, read
-- only through its LLM connection) share the encrypted store; env listings show `env` only.
ALTER TABLE secrets ADD COLUMN kind TEXT NOT NULL DEFAULT 'env' CHECK (kind IN ('env', 'llm_api_key'));
