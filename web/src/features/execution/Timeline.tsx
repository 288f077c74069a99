// Gantt timeline of the trace: crew, tasks, agents, LLM and tool calls on one time axis.
import { useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { fmtDuration } from '../../lib/format';
import { flatten, type Trace } from '../../lib/trace';

const KINDS = ['crew', 'task', 'agent', 'llm_call', 'tool', 'delegation'];

export default function Timeline({ trace, now }: { trace: Trace; now: number }) {
  const { t } = useTranslation();
  const rows = useMemo(() => flatten(trace, new Set()), [trace]);
  const box = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: rows.length, getScrollElement: () => box.current, estimateSize: () => 26, overscan: 15 });
  const t0 = trace.start;
  const running = [...trace.nodes.values()].some((n) => !n.ended_at);
  const t1 = Math.max(running ? now : trace.end, t0 + 1);
  return (
    <section className="card stack" aria-label={t('execution.timeline')}>
      <div className="row">
        <h2 style={{ margin: 0, flex: 1 }}>{t('execution.timeline')}</h2>
        <div className="legend" aria-hidden>{KINDS.map((k) => <span key={k}><i className={`k-${k}`} />{k}</span>)}</div>
        <small className="muted">{fmtDuration(t1 - t0)}</small>
      </div>
      <div ref={box} style={{ maxHeight: 360, overflow: 'auto' }} data-testid="timeline">
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((it) => {
            const { node, depth } = rows[it.index];
            const s = node.started_at ? Date.parse(node.started_at) : t0;
            const e = node.ended_at ? Date.parse(node.ended_at) : now;
            const left = ((s - t0) / (t1 - t0)) * 100;
            const width = Math.max(((e - s) / (t1 - t0)) * 100, 0.3);
            return (
              <div key={it.key} className="gantt-row" style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${it.start}px)` }}>
                <span className="gantt-label" style={{ paddingLeft: depth * 10 }} title={node.name}>{node.name}</span>
                <div className="gantt-track">
                  <div className={`gantt-bar k-${node.kind} ${node.status === 'failed' ? 'k-failed' : ''}`} style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }}
                    title={`${node.kind} ${node.name}: ${fmtDuration(e - s)}`} />
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
