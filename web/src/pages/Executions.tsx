// Executions: filters (crew, status, date range, cost), search, cursor pagination.
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../lib/api';
import type { Execution, Page } from '../lib/types';
import { EmptyState, Skeleton } from '../components/ui';
import ExecutionTable from '../features/execution/ExecutionTable';
import { useCrews } from '../features/crew/useCrewNames';

const STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'];

export default function Executions() {
  const { t } = useTranslation();
  const crews = useCrews();
  const [crewId, setCrewId] = useState('');
  const [status, setStatus] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [minCost, setMinCost] = useState('');
  const [search, setSearch] = useState('');
  const [cursors, setCursors] = useState<(string | null)[]>([null]); // stack of page cursors
  const cursor = cursors[cursors.length - 1];
  const filters = { crew_id: crewId, status, from: from ? new Date(from).toISOString() : '', to: to ? new Date(new Date(to).getTime() + 86_400_000).toISOString() : '' };
  const q = useQuery({
    queryKey: ['executions', 'list', filters, cursor],
    queryFn: () => api<Page<Execution>>(`/api/executions${qs({ ...filters, limit: 50, cursor })}`),
    placeholderData: (prev) => prev,
    refetchInterval: 5000,
  });
  const names: Record<string, string> = {};
  for (const c of crews.data?.items ?? []) names[c.id] = c.name;
  const reset = () => setCursors([null]);
  const s = search.trim().toLowerCase();
  const items = (q.data?.items ?? []).filter((e) =>
    (!minCost || (e.total_cost ?? 0) >= Number(minCost)) &&
    (!s || e.id.toLowerCase().includes(s) || (e.crew_id && (names[e.crew_id] ?? '').toLowerCase().includes(s))));
  const filtered = crewId || status || from || to || minCost || s;

  return (
    <div className="page">
      <div className="page-head"><h1>{t('executions.title')}</h1></div>
      <div className="filters">
        <div className="field" style={{ flex: 1, minWidth: 200 }}>
          <label htmlFor="exec-search">{t('common.search')}</label>
          <input id="exec-search" type="search" placeholder={t('executions.search')} value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="exec-crew">{t('executions.crew')}</label>
          <select id="exec-crew" value={crewId} onChange={(e) => { setCrewId(e.target.value); reset(); }}>
            <option value="">{t('executions.allCrews')}</option>
            {(crews.data?.items ?? []).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="exec-status">{t('common.status')}</label>
          <select id="exec-status" value={status} onChange={(e) => { setStatus(e.target.value); reset(); }}>
            <option value="">{t('common.all')}</option>
            {STATUSES.map((x) => <option key={x} value={x}>{t(`status.${x}`)}</option>)}
          </select>
        </div>
        <div className="field"><label htmlFor="exec-from">{t('executions.from')}</label><input id="exec-from" type="date" value={from} onChange={(e) => { setFrom(e.target.value); reset(); }} /></div>
        <div className="field"><label htmlFor="exec-to">{t('executions.to')}</label><input id="exec-to" type="date" value={to} onChange={(e) => { setTo(e.target.value); reset(); }} /></div>
        <div className="field" style={{ width: 130, minWidth: 0 }}><label htmlFor="exec-cost">{t('executions.minCost')}</label><input id="exec-cost" type="number" min="0" step="0.01" value={minCost} onChange={(e) => setMinCost(e.target.value)} /></div>
        {filtered && <button className="btn btn-ghost" onClick={() => { setCrewId(''); setStatus(''); setFrom(''); setTo(''); setMinCost(''); setSearch(''); reset(); }}>{t('executions.clear')}</button>}
      </div>
      <section className="card">
        {q.isPending ? <Skeleton lines={8} /> : items.length === 0 ? (
          filtered ? <EmptyState title={t('executions.noMatch')} /> : <EmptyState title={t('executions.empty')} hint={t('executions.emptyHint')} action={<Link className="btn btn-primary" to="/crews">{t('nav.crews')}</Link>} />
        ) : (
          <ExecutionTable items={items} crewNames={names} />
        )}
        <div className="row end" style={{ marginTop: '.75rem' }}>
          <button className="btn btn-sm" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>← {t('common.previous')}</button>
          <span className="muted">{cursors.length}</span>
          <button className="btn btn-sm" disabled={!q.data?.next_cursor} onClick={() => setCursors((c) => [...c, q.data!.next_cursor])}>{t('common.next')} →</button>
        </div>
      </section>
    </div>
  );
}
