// Execution detail: status header with cancel, live log and streamed tokens, timeline, trace tree,
// metrics, inputs and outputs.
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, apiOptional } from '../lib/api';
import { fmtCost, fmtDate, fmtDuration, fmtNumber } from '../lib/format';
import { toLogLine, traceFromEvents, traceFromSpans } from '../lib/trace';
import type { Crew, Execution, Span } from '../lib/types';
import { ConfirmDialog, EmptyState, SimulatedBadge, Skeleton, StatusBadge, Tabs } from '../components/ui';
import { useToast } from '../components/Toast';
import Markdown from '../components/Markdown';
import { useExecutionStream } from '../features/execution/useExecutionStream';
import LogView from '../features/execution/LogView';
import TraceTree from '../features/execution/TraceTree';
import Timeline from '../features/execution/Timeline';
import Metrics, { metricsFromEvents, type MetricsData } from '../features/execution/Metrics';

type Tab = 'log' | 'timeline' | 'trace' | 'metrics' | 'io';
const finished = (s?: string) => s === 'completed' || s === 'failed' || s === 'cancelled';

export default function ExecutionDetail() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const [tab, setTab] = useState<Tab>('log');
  const [confirmCancel, setConfirmCancel] = useState(false);
  const exec = useQuery({
    queryKey: ['execution', id],
    queryFn: () => api<Execution>(`/api/executions/${id}`),
    refetchInterval: (q) => (finished(q.state.data?.status) ? false : 2000),
  });
  const e = exec.data;
  const crew = useQuery({ queryKey: ['crew', e?.crew_id], queryFn: () => api<Crew>(`/api/crews/${e!.crew_id}`), enabled: !!e?.crew_id, retry: false });
  const done = finished(e?.status);
  const stream = useExecutionStream(id, done);
  const spans = useQuery({
    queryKey: ['execution', id, 'traces', done],
    queryFn: () => apiOptional<{ spans: Span[] }>(`/api/executions/${id}/traces`),
    enabled: done,
    retry: false,
  });
  const serverMetrics = useQuery({
    queryKey: ['execution', id, 'metrics', done],
    queryFn: () => apiOptional<MetricsData>(`/api/executions/${id}/metrics`),
    enabled: done,
    retry: false,
  });

  useEffect(() => {
    if (stream.state === 'ended') void qc.invalidateQueries({ queryKey: ['execution', id] });
  }, [stream.state, qc, id]);

  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (done) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [done]);

  // eslint-disable-next-line react-hooks/exhaustive-deps
  const lines = useMemo(() => stream.events.map(toLogLine), [stream.version, i18n.language]);
  const trace = useMemo(
    () => (spans.data?.spans?.length ? traceFromSpans(spans.data.spans) : traceFromEvents(stream.events, now)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [spans.data, stream.version, done ? 0 : now],
  );
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const metrics = useMemo(() => serverMetrics.data ?? metricsFromEvents(stream.events), [serverMetrics.data, stream.version]);
  const simulated = useMemo(() => [...trace.nodes.values()].some((n) => n.simulated), [trace]);
  const liveText = stream.lastChunkTrace ? stream.chunks.get(stream.lastChunkTrace) : undefined;

  async function cancel() {
    try {
      const r = await api<Execution>(`/api/executions/${id}/cancel`, { method: 'POST' });
      qc.setQueryData(['execution', id], r);
      toast.success(t('execution.cancelRequested'));
    } catch (err) {
      toast.error(err);
    }
  }

  if (exec.isError) return <div className="page"><EmptyState title={t('errors.notFound')} hint={exec.error.message} action={<Link className="btn" to="/executions">{t('nav.executions')}</Link>} /></div>;
  if (!e) return <div className="page"><Skeleton lines={10} /></div>;

  const duration = e.duration_ms ?? (e.started_at ? now - Date.parse(e.started_at) : null);
  return (
    <div className="page">
      <div className="card stack">
        <div className="exec-head">
          <h1 style={{ flex: 'none' }}>
            {crew.data ? <Link to={`/crews/${crew.data.id}`}>{crew.data.name}</Link> : t('executions.id')}{' '}
            <span className="mono muted" style={{ fontSize: 14 }}>{e.id.slice(-8)}</span>
          </h1>
          <StatusBadge status={e.status} />
          {e.is_test && <span className="badge badge-neutral">{t('execution.test')}</span>}
          {simulated && <SimulatedBadge />}
          <span className="muted" data-testid="stream-state">
            {stream.state === 'live' ? `● ${t('execution.live')}` : stream.state === 'reconnecting' ? t('execution.reconnecting') : stream.state === 'ended' ? t('execution.ended') : t('common.loading')}
          </span>
          <span className="spacer" />
          {!done && (
            <button className="btn btn-danger" onClick={() => setConfirmCancel(true)} disabled={e.cancel_requested}>■ {t('execution.cancel')}</button>
          )}
        </div>
        <div className="metrics-row">
          <div className="metric"><div className="label">{t('executions.started')}</div><div className="value" style={{ fontSize: 14 }}>{fmtDate(e.started_at ?? e.created_at)}</div></div>
          <div className="metric"><div className="label">{t('executions.duration')}</div><div className="value">{fmtDuration(duration)}</div></div>
          <div className="metric"><div className="label">{t('executions.tokens')}</div><div className="value">{fmtNumber(e.total_tokens || metrics.totals.input_tokens + metrics.totals.output_tokens)}</div></div>
          <div className="metric"><div className="label">{t('executions.cost')}</div><div className="value">{fmtCost(e.total_cost ?? metrics.totals.cost)}</div></div>
          {e.crew_version != null && <div className="metric"><div className="label">{t('crew.version')}</div><div className="value">v{e.crew_version}</div></div>}
        </div>
        {e.error_message && <p className="notice notice-danger" role="alert">{e.error_message}</p>}
      </div>
      <Tabs label={t('executions.id')} value={tab} onChange={setTab} tabs={[
        { id: 'log', label: t('execution.log') }, { id: 'timeline', label: t('execution.timeline') }, { id: 'trace', label: t('execution.trace') },
        { id: 'metrics', label: t('execution.metrics') }, { id: 'io', label: t('execution.io') },
      ]} />
      {tab === 'log' && (
        <>
          {liveText && !done && (
            <section className="card stack">
              <div className="row"><h2 style={{ margin: 0 }}>{t('execution.streaming')}</h2>{simulated && <SimulatedBadge />}</div>
              <div className="stream-box" data-testid="live-tokens" aria-live="off">{liveText}</div>
            </section>
          )}
          <LogView lines={lines} />
        </>
      )}
      {tab === 'timeline' && <Timeline trace={trace} now={now} />}
      {tab === 'trace' && <TraceTree trace={trace} />}
      {tab === 'metrics' && <Metrics data={metrics} />}
      {tab === 'io' && (
        <div className="grid grid-2">
          <section className="card"><h2>{t('execution.inputs')}</h2><Markdown value={e.inputs} /></section>
          <section className="card stack" data-testid="outputs">
            <h2>{t('execution.outputs')}</h2>
            {e.outputs && Object.keys(e.outputs).length ? Object.entries(e.outputs).map(([k, v]) => (
              <div key={k}><h3 className="mono">{k}</h3><Markdown value={v} /></div>
            )) : <p className="muted">{t('execution.noOutputs')}</p>}
          </section>
        </div>
      )}
      {confirmCancel && (
        <ConfirmDialog title={t('execution.cancel')} text={t('execution.cancelConfirm')} confirmLabel={t('execution.cancel')} danger
          onConfirm={() => void cancel()} onClose={() => setConfirmCancel(false)} />
      )}
    </div>
  );
}
