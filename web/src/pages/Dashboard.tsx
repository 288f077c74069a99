// Dashboard: stat cards, charts, recent executions and quick actions.
import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../lib/api';
import { fetchOverview } from '../lib/overview';
import { fmtCost, fmtNumber, fmtPercent } from '../lib/format';
import type { Execution, Page } from '../lib/types';
import { EmptyState, Skeleton } from '../components/ui';
import ExecutionTable from '../features/execution/ExecutionTable';
import { useCrewNames } from '../features/crew/useCrewNames';

const Charts = lazy(() => import('../features/dashboard/Charts'));

export default function Dashboard() {
  const { t } = useTranslation();
  const overview = useQuery({ queryKey: ['overview'], queryFn: () => fetchOverview(14), refetchInterval: 15_000 });
  const recent = useQuery({ queryKey: ['executions', 'recent'], queryFn: () => api<Page<Execution>>('/api/executions?limit=8'), refetchInterval: 5_000 });
  const crewNames = useCrewNames();
  const o = overview.data;
  const stats = [
    { key: 'totalCrews', value: fmtNumber(o?.total_crews), id: 'stat-crews' },
    { key: 'activeExecutions', value: fmtNumber(o?.active_executions), id: 'stat-active' },
    { key: 'todayCost', value: fmtCost(o?.today_cost), id: 'stat-cost' },
    { key: 'successRate', value: fmtPercent(o?.success_rate), id: 'stat-success' },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('dashboard.title')}</h1>
        <Link className="btn" to="/crews?new=1">{t('dashboard.createCrew')}</Link>
        <Link className="btn btn-primary" to="/crews">{t('dashboard.runCrew')}</Link>
      </div>
      <section className="grid grid-4" aria-label={t('dashboard.title')}>
        {stats.map((s) => (
          <div className="card stat" key={s.key} data-testid={s.id}>
            <span className="label">{t(`dashboard.${s.key}`)}</span>
            {overview.isPending ? <Skeleton lines={1} height={28} /> : <span className="value">{s.value}</span>}
            {s.key === 'todayCost' && !!o?.unknown_cost_executions && (
              <small className="muted" data-testid="unknown-cost" title={t('dashboard.unknownCostHint')}>{t('dashboard.unknownCost', { count: o.unknown_cost_executions })}</small>
            )}
          </div>
        ))}
      </section>
      {o?.computed && <p className="muted" style={{ margin: 0 }}>{t('dashboard.fromExecutions')}</p>}
      <section className="grid grid-2">
        <Suspense fallback={<><div className="card"><Skeleton lines={6} /></div><div className="card"><Skeleton lines={6} /></div></>}>
          {o ? <Charts series={o.series} /> : <><div className="card"><Skeleton lines={6} /></div><div className="card"><Skeleton lines={6} /></div></>}
        </Suspense>
      </section>
      <section className="card">
        <div className="card-head">
          <h2>{t('dashboard.recent')}</h2>
          <Link to="/executions">{t('dashboard.viewAll')}</Link>
        </div>
        {recent.isPending ? (
          <Skeleton lines={5} />
        ) : recent.data?.items.length ? (
          <ExecutionTable items={recent.data.items} crewNames={crewNames} compact />
        ) : (
          <EmptyState title={t('dashboard.noExecutions')} action={<Link className="btn btn-primary" to="/crews">{t('dashboard.runCrew')}</Link>} />
        )}
      </section>
    </div>
  );
}
