// Executions: filters, search and order are answered by the server; pages follow next_cursor.
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, qs } from '../lib/api';
import { useDebounced } from '../lib/useDebounced';
import type { Execution, Page } from '../lib/types';
import { EmptyState, Skeleton } from '../components/ui';
import ExecutionTable from '../features/execution/ExecutionTable';
import ExecutionFilterBar from '../features/execution/ExecutionFilterBar';
import { emptyFilters, isFiltered, toQuery, type ExecutionFilters } from '../features/execution/executionQuery';
import { useCrews } from '../features/crew/useCrewNames';

export default function Executions() {
  const { t } = useTranslation();
  const crews = useCrews();
  const [filters, setFilters] = useState<ExecutionFilters>(emptyFilters);
  const [cursors, setCursors] = useState<(string | null)[]>([null]); // stack of page cursors
  const cursor = cursors[cursors.length - 1];
  // Typing waits for a pause; the cursor stack restarts whenever the query changes.
  const params = useDebounced(toQuery(filters), 300);
  const key = JSON.stringify(params);
  const [pagedKey, setPagedKey] = useState(key);
  if (pagedKey !== key) {
    setPagedKey(key);
    setCursors([null]);
  }
  const q = useQuery({
    queryKey: ['executions', 'list', params, cursor],
    queryFn: () => api<Page<Execution>>(`/api/executions${qs({ ...params, limit: 50, cursor })}`),
    placeholderData: (prev) => prev,
    refetchInterval: 5000,
    retry: (n, e) => !(e instanceof ApiError && e.status === 400) && n < 2,
  });
  const names: Record<string, string> = {};
  for (const c of crews.data?.items ?? []) names[c.id] = c.name;
  const items = q.data?.items ?? [];
  const invalid = q.error instanceof ApiError && q.error.status === 400 ? q.error : null;

  return (
    <div className="page">
      <div className="page-head"><h1>{t('executions.title')}</h1></div>
      <ExecutionFilterBar value={filters} onChange={setFilters} crews={crews.data?.items ?? []} />
      <section className="card">
        {invalid ? (
          <p className="notice notice-danger" role="alert" data-testid="filter-error">{t('executions.invalidFilter', { detail: invalid.problem.errors?.map((e) => e.path).join(', ') || invalid.message })}</p>
        ) : q.isPending ? <Skeleton lines={8} /> : items.length === 0 ? (
          isFiltered(filters) ? <EmptyState title={t('executions.noMatch')} /> : <EmptyState title={t('executions.empty')} hint={t('executions.emptyHint')} action={<Link className="btn btn-primary" to="/crews">{t('nav.crews')}</Link>} />
        ) : (
          <ExecutionTable items={items} crewNames={names} />
        )}
        <nav className="row end" style={{ marginTop: '.75rem' }} aria-label={t('executions.pages')}>
          <button className="btn btn-sm" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>← {t('common.previous')}</button>
          <span className="muted" aria-label={t('executions.pageN', { n: cursors.length })}>{cursors.length}</span>
          <button className="btn btn-sm" disabled={!q.data?.next_cursor || !!invalid} onClick={() => setCursors((c) => [...c, q.data!.next_cursor])}>{t('common.next')} →</button>
        </nav>
      </section>
    </div>
  );
}
