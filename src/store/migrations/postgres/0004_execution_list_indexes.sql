-- Execution lists page by (sort key, id): indexes in exactly that order let both databases
-- read a page straight off the index instead of sorting every run of the team per request.
DROP INDEX executions_team_created_idx;
CREATE INDEX executions_team_created_idx ON executions (team_id, created_at DESC, id DESC);
DROP INDEX executions_team_status_idx;
CREATE INDEX executions_team_status_idx ON executions (team_id, status, created_at DESC, id DESC);
CREATE INDEX executions_team_cost_idx ON executions (team_id, (COALESCE(total_cost, -1.0)) DESC, id DESC);
CREATE INDEX executions_team_duration_idx ON executions (team_id, (COALESCE(duration_ms, -1)) DESC, id DESC);
CREATE INDEX executions_team_tokens_idx ON executions (team_id, total_tokens DESC, id DESC);
DROP INDEX executions_crew_created_idx;
CREATE INDEX executions_crew_created_idx ON executions (crew_id, created_at DESC, id DESC);
-- The dashboard's aggregates (analytics overview) read only these columns: covered, they scan
-- the index instead of rows that carry the runs' inputs and outputs.
CREATE INDEX executions_team_activity_idx ON executions (team_id, created_at, status, total_cost, total_tokens);
