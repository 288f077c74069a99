// Crew id -> name map for tables of executions (first 200 crews of the team).
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';
import type { Crew, Page } from '../../lib/types';

export function useCrews() {
  return useQuery({ queryKey: ['crews', 'all'], queryFn: () => api<Page<Crew>>('/api/crews?limit=200') });
}

export function useCrewNames(): Record<string, string> {
  const q = useCrews();
  const m: Record<string, string> = {};
  for (const c of q.data?.items ?? []) m[c.id] = c.name;
  return m;
}
