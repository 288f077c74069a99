-- AOP schema, version 1 (SQLite). Kept column-for-column identical to
-- migrations/postgres/0001_init.sql so the same SQL runs on both databases:
--   ids are TEXT (UUIDv7 strings); *_at columns are epoch milliseconds (INTEGER here,
--   BIGINT there); JSON documents are TEXT; booleans are INTEGER 0/1 here and BOOLEAN
--   there (bind a bool, or write `WHERE is_active` / `= TRUE`, never `= 1`); money is REAL.
-- STRICT tables make SQLite reject values of the wrong type, as PostgreSQL does.

-- Accounts ---------------------------------------------------------------------------

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,              -- stored lower-cased by the application
  name TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'developer' CHECK (role IN ('admin', 'developer', 'viewer')),
  is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  settings TEXT NOT NULL DEFAULT '{}',
  last_login_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE teams (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  slug TEXT NOT NULL UNIQUE,
  settings TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE team_members (
  team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'member')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (team_id, user_id)
) STRICT;
CREATE INDEX team_members_user_idx ON team_members (user_id);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  name TEXT NOT NULL,
  prefix TEXT NOT NULL UNIQUE,             -- the visible part, used to look the key up
  key_hash TEXT NOT NULL,
  permissions TEXT NOT NULL DEFAULT '[]',
  rate_limit INTEGER,                      -- requests per minute; NULL = team default
  expires_at INTEGER,
  is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  last_used_at INTEGER,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
) STRICT;
CREATE INDEX api_keys_team_idx ON api_keys (team_id, created_at);

CREATE TABLE refresh_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  family_id TEXT NOT NULL,                 -- a rotation chain; reuse revokes the family
  token_hash TEXT NOT NULL UNIQUE,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  replaced_by TEXT,
  user_agent TEXT,
  ip TEXT,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

-- Crews ------------------------------------------------------------------------------

CREATE TABLE crews (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  name TEXT NOT NULL,                      -- not unique: names may repeat within a team
  description TEXT NOT NULL DEFAULT '',
  config TEXT NOT NULL,                    -- the crew document (JSON)
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'deployed', 'stopped')),
  version INTEGER NOT NULL DEFAULT 1,
  inputs TEXT NOT NULL DEFAULT '{}',       -- declared inputs (JSON)
  created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER                       -- soft delete
) STRICT;
CREATE INDEX crews_team_updated_idx ON crews (team_id, updated_at);
CREATE INDEX crews_team_name_idx ON crews (team_id, name);

CREATE TABLE crew_versions (
  crew_id TEXT NOT NULL REFERENCES crews (id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  config TEXT NOT NULL,
  message TEXT,
  author_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (crew_id, version)
) STRICT;

CREATE TABLE deployments (
  id TEXT PRIMARY KEY,
  crew_id TEXT NOT NULL REFERENCES crews (id) ON DELETE CASCADE,
  team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'stopped', 'failed')),
  endpoint TEXT,
  deployed_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  stopped_at INTEGER
) STRICT;
CREATE INDEX deployments_crew_idx ON deployments (crew_id, created_at);
CREATE INDEX deployments_team_idx ON deployments (team_id, created_at);

-- Encrypted at rest (XChaCha20-Poly1305); nonce and ciphertext are base64 text.
-- crew_id NULL = a team-wide secret. Two partial indexes keep names unique per scope,
-- since a plain UNIQUE would treat every NULL crew_id as distinct.
CREATE TABLE secrets (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  crew_id TEXT REFERENCES crews (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  nonce TEXT NOT NULL,
  ciphertext TEXT NOT NULL,
  created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX secrets_team_name_idx ON secrets (team_id, name) WHERE crew_id IS NULL;
CREATE UNIQUE INDEX secrets_crew_name_idx ON secrets (team_id, crew_id, name)
  WHERE crew_id IS NOT NULL;

CREATE TABLE llm_providers (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  provider TEXT NOT NULL,                  -- openai, anthropic, ollama, simulated, ...
  base_url TEXT,
  api_key_secret_id TEXT REFERENCES secrets (id) ON DELETE SET NULL,
  default_model TEXT,
  models TEXT NOT NULL DEFAULT '[]',
  pricing TEXT NOT NULL DEFAULT '{}',      -- per-model price overrides for this team
  settings TEXT NOT NULL DEFAULT '{}',
  is_enabled INTEGER NOT NULL DEFAULT 1 CHECK (is_enabled IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (team_id, name)
) STRICT;

-- Library: team_id NULL marks a built-in entry visible to every team.
CREATE TABLE agent_templates (
  id TEXT PRIMARY KEY,
  team_id TEXT REFERENCES teams (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  category TEXT,
  role TEXT NOT NULL,
  goal TEXT NOT NULL,
  backstory TEXT NOT NULL DEFAULT '',
  config TEXT NOT NULL DEFAULT '{}',       -- llm, tools, limits, ...
  tags TEXT NOT NULL DEFAULT '[]',
  is_builtin INTEGER NOT NULL DEFAULT 0 CHECK (is_builtin IN (0, 1)),
  created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX agent_templates_team_idx ON agent_templates (team_id, name);

CREATE TABLE tools (
  id TEXT PRIMARY KEY,
  team_id TEXT REFERENCES teams (id) ON DELETE CASCADE,
  name TEXT NOT NULL,                      -- what crews reference
  kind TEXT NOT NULL CHECK (kind IN ('builtin', 'http', 'command', 'mcp')),
  description TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  config TEXT NOT NULL DEFAULT '{}',
  input_schema TEXT,
  dependencies TEXT NOT NULL DEFAULT '{}',  -- secrets, tools and binaries it needs
  is_enabled INTEGER NOT NULL DEFAULT 1 CHECK (is_enabled IN (0, 1)),
  created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER
) STRICT;
CREATE UNIQUE INDEX tools_team_name_idx ON tools (team_id, name) WHERE team_id IS NOT NULL;
CREATE UNIQUE INDEX tools_builtin_name_idx ON tools (name) WHERE team_id IS NULL;

CREATE TABLE tool_versions (
  tool_id TEXT NOT NULL REFERENCES tools (id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  config TEXT NOT NULL,
  input_schema TEXT,
  author_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tool_id, version)
) STRICT;

-- Executions and observability ---------------------------------------------------------

CREATE TABLE executions (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  crew_id TEXT REFERENCES crews (id) ON DELETE SET NULL,  -- NULL for ingested traces
  crew_version INTEGER,
  deployment_id TEXT REFERENCES deployments (id) ON DELETE SET NULL,
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
  is_test INTEGER NOT NULL DEFAULT 0 CHECK (is_test IN (0, 1)),
  inputs TEXT NOT NULL DEFAULT '{}',
  outputs TEXT,
  error_message TEXT,
  triggered_by_user TEXT REFERENCES users (id) ON DELETE SET NULL,
  triggered_by_key TEXT REFERENCES api_keys (id) ON DELETE SET NULL,
  total_tokens INTEGER NOT NULL DEFAULT 0,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  total_cost REAL,                         -- NULL when a model's price is unknown
  duration_ms INTEGER,
  worker_id TEXT,
  claimed_at INTEGER,
  heartbeat_at INTEGER,                    -- lets recovery find runs of dead workers
  cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  completed_at INTEGER
) STRICT;
CREATE INDEX executions_team_created_idx ON executions (team_id, created_at DESC);
CREATE INDEX executions_team_status_idx ON executions (team_id, status, created_at);
CREATE INDEX executions_crew_created_idx ON executions (crew_id, created_at);
CREATE INDEX executions_queue_idx ON executions (created_at) WHERE status = 'pending';
CREATE INDEX executions_running_idx ON executions (worker_id) WHERE status = 'running';

-- Append-only event log: SSE replay (Last-Event-ID) reads it by (execution_id, seq).
CREATE TABLE execution_events (
  execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  ts INTEGER NOT NULL,
  trace_id TEXT,
  parent_trace_id TEXT,
  data TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (execution_id, seq)
) STRICT;

-- Span tree: crew > task > agent > llm_call | tool | delegation. parent_id has no
-- foreign key because ingested spans may arrive before their parent.
CREATE TABLE traces (
  id TEXT PRIMARY KEY,
  execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  parent_id TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('crew', 'task', 'agent', 'llm_call', 'tool', 'delegation')),
  name TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'running',
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  duration_ms INTEGER,
  model TEXT,
  input_tokens INTEGER,
  output_tokens INTEGER,
  cost REAL,
  inputs TEXT,
  outputs TEXT,
  error TEXT,
  metadata TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX traces_execution_idx ON traces (execution_id, started_at);
CREATE INDEX traces_model_idx ON traces (model, started_at) WHERE model IS NOT NULL;

CREATE TABLE logs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  trace_id TEXT,
  level TEXT NOT NULL,
  message TEXT NOT NULL,
  ts INTEGER NOT NULL
) STRICT;
CREATE INDEX logs_execution_idx ON logs (execution_id, id);

CREATE TABLE metrics (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value REAL NOT NULL,
  labels TEXT NOT NULL DEFAULT '{}',
  ts INTEGER NOT NULL
) STRICT;
CREATE INDEX metrics_execution_idx ON metrics (execution_id, name);
CREATE INDEX metrics_name_ts_idx ON metrics (name, ts);

-- Notifications ------------------------------------------------------------------------

CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  events TEXT NOT NULL DEFAULT '[]',       -- event types delivered; [] = all
  secret_nonce TEXT,                       -- signing secret, encrypted like secrets
  secret_ciphertext TEXT,
  is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX webhooks_team_idx ON webhooks (team_id);

CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  event_type TEXT NOT NULL,
  execution_id TEXT REFERENCES executions (id) ON DELETE SET NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  response_status INTEGER,
  response_body TEXT,
  error TEXT,
  duration_ms INTEGER,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER
) STRICT;
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, created_at);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
  WHERE status = 'pending';

CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  crew_id TEXT REFERENCES crews (id) ON DELETE CASCADE,  -- NULL = every crew
  name TEXT NOT NULL,
  kind TEXT NOT NULL,                      -- execution_failed, cost_above, duration_above, ...
  condition TEXT NOT NULL DEFAULT '{}',    -- thresholds and windows (JSON)
  channels TEXT NOT NULL DEFAULT '[]',     -- slack / email / webhook targets (JSON)
  cooldown_seconds INTEGER NOT NULL DEFAULT 300,
  is_enabled INTEGER NOT NULL DEFAULT 1 CHECK (is_enabled IN (0, 1)),
  last_triggered_at INTEGER,
  created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX alerts_team_idx ON alerts (team_id);

CREATE TABLE alert_events (
  id TEXT PRIMARY KEY,
  alert_id TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  execution_id TEXT REFERENCES executions (id) ON DELETE SET NULL,
  message TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX alert_events_alert_idx ON alert_events (alert_id, created_at);
CREATE INDEX alert_events_team_idx ON alert_events (team_id, created_at);

CREATE TABLE budgets (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  crew_id TEXT REFERENCES crews (id) ON DELETE CASCADE,  -- NULL = whole team
  period TEXT NOT NULL CHECK (period IN ('daily', 'weekly', 'monthly')),
  limit_cost REAL NOT NULL,
  action TEXT NOT NULL DEFAULT 'alert' CHECK (action IN ('alert', 'block')),
  is_enabled INTEGER NOT NULL DEFAULT 1 CHECK (is_enabled IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX budgets_team_idx ON budgets (team_id);

-- Kept after users, keys and teams are deleted, so no foreign keys.
CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,
  team_id TEXT,
  actor_user_id TEXT,
  actor_key_id TEXT,
  action TEXT NOT NULL,                    -- e.g. crew.deploy, api_key.create
  target_type TEXT,
  target_id TEXT,
  ip TEXT,
  details TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_log_created_idx ON audit_log (created_at);
CREATE INDEX audit_log_team_idx ON audit_log (team_id, created_at);
