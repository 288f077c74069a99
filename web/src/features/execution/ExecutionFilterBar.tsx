// The executions page's filter controls: search, crew, status, dates, cost range and order.
import { useTranslation } from 'react-i18next';
import type { Crew } from '../../lib/types';
import { SORTS, isFiltered, emptyFilters, type ExecutionFilters, type Sort } from './executionQuery';

const STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'];

export default function ExecutionFilterBar({ value, onChange, crews }: { value: ExecutionFilters; onChange: (f: ExecutionFilters) => void; crews: Crew[] }) {
  const { t } = useTranslation();
  const set = <K extends keyof ExecutionFilters>(k: K) => (v: ExecutionFilters[K]) => onChange({ ...value, [k]: v });
  return (
    <div className="stack filter-bar">
      <div className="filters">
        <div className="field" style={{ flex: 1, minWidth: 220, maxWidth: 640 }}>
          <label htmlFor="exec-search">{t('common.search')}</label>
          <input id="exec-search" type="search" maxLength={200} placeholder={t('executions.search')} value={value.search} onChange={(e) => set('search')(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="exec-sort">{t('executions.sort')}</label>
          <select id="exec-sort" value={value.sort} onChange={(e) => set('sort')(e.target.value as Sort)}>
            {SORTS.map((s) => <option key={s} value={s}>{t(`executions.sorts.${s}`)}</option>)}
          </select>
        </div>
      </div>
      <div className="filters">
        <div className="field">
          <label htmlFor="exec-crew">{t('executions.crew')}</label>
          <select id="exec-crew" value={value.crewId} onChange={(e) => set('crewId')(e.target.value)}>
            <option value="">{t('executions.allCrews')}</option>
            {crews.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="exec-status">{t('common.status')}</label>
          <select id="exec-status" value={value.status} onChange={(e) => set('status')(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {STATUSES.map((x) => <option key={x} value={x}>{t(`status.${x}`)}</option>)}
          </select>
        </div>
        <div className="field"><label htmlFor="exec-from">{t('executions.from')}</label><input id="exec-from" type="date" value={value.from} onChange={(e) => set('from')(e.target.value)} /></div>
        <div className="field"><label htmlFor="exec-to">{t('executions.to')}</label><input id="exec-to" type="date" value={value.to} onChange={(e) => set('to')(e.target.value)} /></div>
        <div className="field cost-field"><label htmlFor="exec-min-cost">{t('executions.minCost')}</label>
          <input id="exec-min-cost" type="number" inputMode="decimal" min="0" step="0.01" value={value.minCost} onChange={(e) => set('minCost')(e.target.value)} /></div>
        <div className="field cost-field"><label htmlFor="exec-max-cost">{t('executions.maxCost')}</label>
          <input id="exec-max-cost" type="number" inputMode="decimal" min="0" step="0.01" value={value.maxCost} onChange={(e) => set('maxCost')(e.target.value)} /></div>
        {isFiltered(value) && <button className="btn btn-ghost" onClick={() => onChange({ ...emptyFilters, sort: value.sort })}>{t('executions.clear')}</button>}
      </div>
    </div>
  );
}
