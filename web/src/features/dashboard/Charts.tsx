// Recharts charts of the overview series (own chunk: Recharts is large).
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTranslation } from 'react-i18next';
import type { OverviewPoint } from '../../lib/types';

export default function Charts({ series }: { series: OverviewPoint[] }) {
  const { t, i18n } = useTranslation();
  const data = series.map((p) => ({
    ...p,
    label: new Date(p.start).toLocaleDateString(i18n.language === 'ko' ? 'ko-KR' : 'en-US', { month: 'short', day: 'numeric' }),
    cost: p.cost ?? 0,
  }));
  const axis = { stroke: 'var(--muted)', fontSize: 12 };
  const tooltip = { contentStyle: { background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' } };
  return (
    <>
      <div className="card" data-testid="chart-executions">
        <div className="card-head"><h2>{t('dashboard.overTime')}</h2><small className="muted">{t('dashboard.last14')}</small></div>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={data}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis dataKey="label" tick={axis} />
            <YAxis allowDecimals={false} tick={axis} width={32} />
            <Tooltip {...tooltip} />
            <Legend />
            <Bar isAnimationActive={false} dataKey="completed" stackId="a" name={t('dashboard.completedSeries')} fill="var(--chart-3)" />
            <Bar isAnimationActive={false} dataKey="failed" stackId="a" name={t('dashboard.failedSeries')} fill="var(--chart-2)" />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <div className="card" data-testid="chart-cost">
        <div className="card-head"><h2>{t('dashboard.costTrend')}</h2><small className="muted">{t('dashboard.last14')}</small></div>
        <ResponsiveContainer width="100%" height={220}>
          <AreaChart data={data}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis dataKey="label" tick={axis} />
            <YAxis tick={axis} width={48} />
            <Tooltip {...tooltip} formatter={(v: number) => `$${v.toFixed(4)}`} />
            <Area isAnimationActive={false} type="monotone" dataKey="cost" name={t('dashboard.costSeries')} stroke="var(--chart-1)" fill="var(--chart-1)" fillOpacity={0.2} />
          </AreaChart>
        </ResponsiveContainer>
      </div>
    </>
  );
}
