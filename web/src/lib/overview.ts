// Dashboard numbers: GET /api/analytics/overview when the server has it, otherwise the same
// figures computed from the latest executions (GET /api/executions) and the crew list.
import { api, apiOptional, qs } from './api';
import type { Crew, Execution, Overview, OverviewPoint, Page } from './types';

export interface OverviewResult extends Overview {
  computed: boolean; // true when computed client-side from /api/executions
}

function dayKey(d: Date) {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())).toISOString();
}

export function computeOverview(execs: Execution[], totalCrews: number, from: Date, to: Date): Overview {
  const buckets = new Map<string, OverviewPoint>();
  for (let d = new Date(dayKey(from)); d < to; d = new Date(d.getTime() + 86_400_000)) {
    buckets.set(d.toISOString(), { start: d.toISOString(), executions: 0, completed: 0, failed: 0, cancelled: 0, cost: 0, tokens: 0 });
  }
  const today = dayKey(new Date());
  let completed = 0, failed = 0, cancelled = 0, unknownCost = 0, cost: number | null = null, tokens = 0, todayCost: number | null = null, active = 0;
  for (const e of execs) {
    if (e.status === 'running' || e.status === 'pending') active++;
    const created = new Date(e.created_at);
    if (created < from || created >= to) continue;
    const b = buckets.get(dayKey(created));
    if (e.status === 'completed') completed++;
    if (e.status === 'failed') failed++;
    if (e.status === 'cancelled') cancelled++;
    tokens += e.total_tokens;
    const finished = e.status === 'completed' || e.status === 'failed' || e.status === 'cancelled';
    if (finished && e.total_cost == null) unknownCost++;
    if (e.total_cost != null) {
      cost = (cost ?? 0) + e.total_cost;
      if (dayKey(created) === today) todayCost = (todayCost ?? 0) + e.total_cost;
    }
    if (b) {
      b.executions++;
      if (e.status === 'completed') b.completed++;
      if (e.status === 'failed') b.failed++;
      if (e.status === 'cancelled') b.cancelled = (b.cancelled ?? 0) + 1;
      b.cost = (b.cost ?? 0) + (e.total_cost ?? 0);
      b.tokens += e.total_tokens;
    }
  }
  const finished = completed + failed;
  return {
    total_crews: totalCrews, active_executions: active, executions: completed + failed + cancelled + active,
    completed, failed, success_rate: finished ? completed / finished : null, total_cost: cost, unknown_cost_executions: unknownCost,
    today_cost: todayCost ?? (cost == null ? null : 0), total_tokens: tokens, series: [...buckets.values()],
  };
}

async function countCrews(): Promise<number> {
  let n = 0, cursor: string | null = null;
  for (let i = 0; i < 10; i++) {
    const page: Page<Crew> = await api(`/api/crews${qs({ limit: 200, cursor })}`);
    n += page.items.length;
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return n;
}

export async function fetchOverview(days = 14): Promise<OverviewResult> {
  const to = new Date();
  const from = new Date(dayKey(new Date(to.getTime() - (days - 1) * 86_400_000)));
  const real = await apiOptional<Overview>(`/api/analytics/overview${qs({ from: from.toISOString(), to: to.toISOString(), bucket: 'day' })}`);
  if (real) return { ...real, computed: false };
  const [execs, crews] = await Promise.all([
    api<Page<Execution>>(`/api/executions${qs({ limit: 200, from: from.toISOString() })}`),
    countCrews(),
  ]);
  return { ...computeOverview(execs.items, crews, from, to), computed: true };
}
