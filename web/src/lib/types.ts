// Shapes from docs/openapi.yaml (and the analytics/observability contract of issue 7).
export interface User {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'developer' | 'viewer';
  settings: { theme?: 'light' | 'dark' | 'system'; language?: 'en' | 'ko' };
  teams?: { id: string; name: string; role: 'owner' | 'member' | null }[];
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface CrewInput {
  name: string;
  type: string;
  required: boolean;
  description: string;
  default?: unknown;
}

export interface Diagnostic {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export interface Validation {
  valid: boolean;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export type CrewDoc = Record<string, any>;

export interface Crew {
  id: string;
  name: string;
  description: string;
  config: CrewDoc;
  status: 'draft' | 'deployed' | 'stopped';
  version: number;
  deployed_version: number | null;
  inputs: CrewInput[];
  created_at: string;
  updated_at: string;
  validation?: Validation;
}

export interface Deployment {
  id: string;
  crew_id: string;
  version: number;
  status: 'active' | 'stopped' | 'failed';
  endpoint: string;
  created_at: string;
}

export type ExecStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface Execution {
  id: string;
  crew_id: string | null;
  crew_version: number | null;
  status: ExecStatus;
  is_test: boolean;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown> | null;
  error_message: string | null;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  total_cost: number | null;
  duration_ms: number | null;
  cancel_requested: boolean;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
}

export interface ExecEvent {
  seq: number;
  type: string;
  ts: string;
  execution_id: string;
  trace_id: string | null;
  parent_trace_id: string | null;
  data: Record<string, any>;
}

export interface Span {
  id: string;
  parent_id: string | null;
  kind: 'crew' | 'task' | 'agent' | 'llm_call' | 'tool' | 'delegation';
  name: string;
  status: string;
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  model?: string | null;
  input_tokens?: number | null;
  output_tokens?: number | null;
  cost?: number | null;
  inputs?: unknown;
  outputs?: unknown;
  error?: unknown;
  metadata?: Record<string, any> | null;
  simulated?: boolean;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  permissions: string[];
  rate_limit: number | null;
  expires_at: string | null;
  is_active: boolean;
  last_used_at: string | null;
  created_at: string;
}

export interface IssuedApiKey extends Omit<ApiKey, 'is_active' | 'last_used_at'> {
  key: string;
}

export interface EnvVariable {
  name: string;
  scope: 'team' | 'crew';
  updated_at: string;
}

export interface LlmProvider {
  id: string;
  name: string;
  provider: 'openai' | 'anthropic' | 'ollama' | 'openai_compatible';
  base_url: string | null;
  default_model: string | null;
  models: string[];
  /** USD per million tokens, keyed by the model name after `<connection name>/`. */
  pricing?: Record<string, ModelPrice>;
  is_enabled: boolean;
  has_api_key: boolean;
}

export interface ModelPrice {
  input: number;
  output: number;
  cached_input?: number;
}

export interface OverviewPoint {
  start: string;
  executions: number;
  completed: number;
  failed: number;
  cancelled?: number;
  cost: number | null;
  tokens: number;
}

export interface Overview {
  total_crews: number;
  active_executions: number;
  executions: number;
  completed: number;
  failed: number;
  success_rate: number | null;
  total_cost: number | null;
  /** Finished runs whose cost is null (a model without a price); absent from older servers. */
  unknown_cost_executions?: number;
  today_cost: number | null;
  total_tokens: number;
  series: OverviewPoint[];
}
