// The executions list's filters and order as GET /api/executions query parameters.
export const SORTS = ['newest', 'oldest', 'duration', 'cost', 'tokens'] as const;
export type Sort = (typeof SORTS)[number];

export interface ExecutionFilters {
  crewId: string;
  status: string;
  from: string; // yyyy-mm-dd (local day)
  to: string; // yyyy-mm-dd, inclusive
  minCost: string;
  maxCost: string;
  search: string;
  sort: Sort;
}

export const emptyFilters: ExecutionFilters = { crewId: '', status: '', from: '', to: '', minCost: '', maxCost: '', search: '', sort: 'newest' };

const DAY_MS = 86_400_000;

export function toQuery(f: ExecutionFilters): Record<string, string> {
  return {
    crew_id: f.crewId,
    status: f.status,
    from: f.from ? new Date(f.from).toISOString() : '',
    to: f.to ? new Date(new Date(f.to).getTime() + DAY_MS).toISOString() : '',
    min_cost: f.minCost.trim(),
    max_cost: f.maxCost.trim(),
    q: f.search.trim(),
    sort: f.sort,
  };
}

/** Whether anything narrows the list (the order alone does not). */
export function isFiltered(f: ExecutionFilters): boolean {
  return Boolean(f.crewId || f.status || f.from || f.to || f.minCost.trim() || f.maxCost.trim() || f.search.trim());
}
