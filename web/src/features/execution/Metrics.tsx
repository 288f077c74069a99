// Metrics summary: GET /api/executions/{id}/metrics when present, else computed from llm_call events.
import { useTranslation } from 'react-i18next';
import { fmtCost, fmtDuration, fmtNumber, isSimulatedModel } from '../../lib/format';
import type { ExecEvent } from '../../lib/types';
import { SimulatedBadge } from '../../components/ui';

export interface MetricsData {
  totals: { input_tokens: number; output_tokens: number; cost: number | null; duration_ms?: number | null };
  by_model: { model: string; calls: number; input_tokens: number; output_tokens: number; cost: number | null }[];
  by_agent: { agent: string; calls: number; input_tokens: number; output_tokens: number; cost: number | null }[];
  llm_calls: { count: number; latency_ms_p50: number | null; latency_ms_p95: number | null };
}

function pct(sorted: number[], p: number) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

export function metricsFromEvents(events: ExecEvent[]): MetricsData {
  const models = new Map<string, MetricsData['by_model'][0]>();
  const agents = new Map<string, MetricsData['by_agent'][0]>();
  const lat: number[] = [];
  let inp = 0, out = 0, cost: number | null = null;
  for (const e of events) {
    if (e.type !== 'llm_call') continue;
    const d = e.data;
    const i = d.input_tokens ?? 0, o = d.output_tokens ?? 0, c = d.cost ?? null;
    inp += i; out += o;
    if (c != null) cost = (cost ?? 0) + c;
    lat.push((d.duration ?? 0) * 1000);
    for (const [map, key, field] of [[models, d.model ?? '?', 'model'], [agents, d.agent_name ?? '?', 'agent']] as const) {
      const row: any = map.get(key) ?? { [field]: key, calls: 0, input_tokens: 0, output_tokens: 0, cost: null };
      row.calls++; row.input_tokens += i; row.output_tokens += o;
      if (c != null) row.cost = (row.cost ?? 0) + c;
      (map as Map<string, any>).set(key, row);
    }
  }
  lat.sort((a, b) => a - b);
  return {
    totals: { input_tokens: inp, output_tokens: out, cost },
    by_model: [...models.values()],
    by_agent: [...agents.values()],
    llm_calls: { count: lat.length, latency_ms_p50: pct(lat, 0.5), latency_ms_p95: pct(lat, 0.95) },
  };
}

export default function Metrics({ data }: { data: MetricsData }) {
  const { t } = useTranslation();
  const cards = [
    [t('execution.calls'), fmtNumber(data.llm_calls.count)],
    [t('execution.inputTokens'), fmtNumber(data.totals.input_tokens)],
    [t('execution.outputTokens'), fmtNumber(data.totals.output_tokens)],
    [t('executions.cost'), fmtCost(data.totals.cost)],
    [t('execution.p50'), fmtDuration(data.llm_calls.latency_ms_p50)],
    [t('execution.p95'), fmtDuration(data.llm_calls.latency_ms_p95)],
  ];
  return (
    <section className="card stack" aria-label={t('execution.metrics')} data-testid="metrics">
      <h2>{t('execution.metrics')}</h2>
      <div className="metrics-row">
        {cards.map(([label, value]) => <div className="metric" key={label}><div className="label">{label}</div><div className="value">{value}</div></div>)}
      </div>
      <div className="grid grid-2">
        {(['by_model', 'by_agent'] as const).map((k) => (
          <div key={k} className="table-wrap">
            <h3>{t(k === 'by_model' ? 'execution.byModel' : 'execution.byAgent')}</h3>
            <table>
              <thead><tr><th>{k === 'by_model' ? t('execution.model') : t('crew.agent')}</th><th className="num">{t('execution.calls')}</th><th className="num">{t('executions.tokens')}</th><th className="num">{t('executions.cost')}</th></tr></thead>
              <tbody>
                {(data[k] as any[]).map((r) => {
                  const name = r.model ?? r.agent;
                  return (
                    <tr key={name}>
                      <td className="mono">{name} {k === 'by_model' && isSimulatedModel(name) && <SimulatedBadge />}</td>
                      <td className="num">{fmtNumber(r.calls ?? r.count)}</td>
                      <td className="num">{fmtNumber((r.input_tokens ?? 0) + (r.output_tokens ?? 0))}</td>
                      <td className="num">{fmtCost(r.cost)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
      </div>
    </section>
  );
}
