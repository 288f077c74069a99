// Table of executions with status, duration, tokens and cost.
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { fmtCost, fmtDate, fmtDuration, fmtNumber } from '../../lib/format';
import type { Execution } from '../../lib/types';
import { StatusBadge } from '../../components/ui';

export default function ExecutionTable({ items, crewNames, compact }: { items: Execution[]; crewNames: Record<string, string>; compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table data-testid="executions-table">
        <thead>
          <tr>
            <th>{t('executions.id')}</th>
            <th>{t('executions.crew')}</th>
            <th>{t('common.status')}</th>
            <th>{t('executions.started')}</th>
            <th className="num">{t('executions.duration')}</th>
            {!compact && <th className="num">{t('executions.tokens')}</th>}
            <th className="num">{t('executions.cost')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id}>
              <td className="mono"><Link to={`/executions/${e.id}`}>{e.id.slice(-8)}</Link>{e.is_test && <> <span className="badge badge-neutral">{t('status.test')}</span></>}</td>
              <td>{e.crew_id ? (crewNames[e.crew_id] ?? e.crew_id.slice(-8)) : '—'}</td>
              <td><StatusBadge status={e.status} /></td>
              <td>{fmtDate(e.started_at ?? e.created_at)}</td>
              <td className="num">{fmtDuration(e.duration_ms)}</td>
              {!compact && <td className="num">{fmtNumber(e.total_tokens)}</td>}
              <td className="num">{fmtCost(e.total_cost)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
