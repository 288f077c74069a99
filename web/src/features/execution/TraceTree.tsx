// Collapsible, virtualised trace tree; the selected node's inputs and outputs beside it.
import { useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { fmtCost, fmtDuration, fmtNumber } from '../../lib/format';
import { flatten, type Trace, type TraceNode } from '../../lib/trace';
import { SimulatedBadge, StatusBadge } from '../../components/ui';
import Markdown from '../../components/Markdown';

function NodeDetails({ node }: { node: TraceNode }) {
  const { t } = useTranslation();
  return (
    <div className="stack" data-testid="trace-details">
      <div className="row">
        <span className="kind">{node.kind}</span>
        <h3 style={{ margin: 0 }}>{node.name}</h3>
        <StatusBadge status={node.status} />
        {node.simulated && <SimulatedBadge />}
      </div>
      <dl className="kv">
        <dt>{t('executions.duration')}</dt><dd>{fmtDuration(node.duration_ms)}</dd>
        {node.model && <><dt>{t('execution.model')}</dt><dd className="mono">{node.model}</dd></>}
        <dt>{t('execution.inputTokens')}</dt><dd>{fmtNumber(node.input_tokens ?? 0)}</dd>
        <dt>{t('execution.outputTokens')}</dt><dd>{fmtNumber(node.output_tokens ?? 0)}</dd>
        <dt>{t('executions.cost')}</dt><dd>{fmtCost(node.cost)}</dd>
      </dl>
      {node.error != null && <><h3>{t('execution.error')}</h3><Markdown value={node.error} /></>}
      <h3>{t('execution.inputs')}</h3>
      {node.inputs != null ? <Markdown value={node.inputs} /> : <p className="muted">—</p>}
      <h3>{t('execution.outputs')}</h3>
      {node.outputs != null ? <Markdown value={node.outputs} /> : <p className="muted">{t('execution.noOutputs')}</p>}
    </div>
  );
}

export default function TraceTree({ trace }: { trace: Trace }) {
  const { t } = useTranslation();
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const rows = useMemo(() => flatten(trace, collapsed), [trace, collapsed]);
  const box = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: rows.length, getScrollElement: () => box.current, estimateSize: () => 30, overscan: 15 });
  const toggle = (id: string) => setCollapsed((c) => {
    const n = new Set(c);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    return n;
  });
  const sel = selected ? trace.nodes.get(selected) : null;

  return (
    <div className="split split-wide">
      <section className="card stack" aria-label={t('execution.trace')}>
        <div className="row">
          <h2 style={{ margin: 0, flex: 1 }}>{t('execution.trace')}</h2>
          <button className="btn btn-sm" onClick={() => setCollapsed(new Set())}>{t('execution.expandAll')}</button>
          <button className="btn btn-sm" onClick={() => setCollapsed(new Set([...trace.nodes.values()].filter((n) => n.children.length).map((n) => n.id)))}>{t('execution.collapseAll')}</button>
        </div>
        <div className="trace-box" ref={box} role="tree" aria-label={t('execution.trace')} data-testid="trace-tree">
          <div style={{ height: v.getTotalSize(), position: 'relative' }}>
            {v.getVirtualItems().map((it) => {
              const { node, depth } = rows[it.index];
              const open = !collapsed.has(node.id);
              return (
                <div key={it.key} role="treeitem" aria-level={depth + 1} aria-expanded={node.children.length ? open : undefined} aria-selected={selected === node.id}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${it.start}px)` }}>
                  <div className={`trace-row ${selected === node.id ? 'selected' : ''}`} data-testid="trace-node" data-kind={node.kind}
                    tabIndex={0} onClick={() => setSelected(node.id)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); setSelected(node.id); }
                      if (e.key === 'ArrowRight' && !open) toggle(node.id);
                      if (e.key === 'ArrowLeft' && open && node.children.length) toggle(node.id);
                    }}>
                    <span className="trace-name" style={{ paddingLeft: depth * 16 }}>
                      {node.children.length ? (
                        <button className="twisty" aria-label={t('execution.toggle', { name: node.name })} onClick={(e) => { e.stopPropagation(); toggle(node.id); }}>{open ? '▾' : '▸'}</button>
                      ) : <span className="twisty" />}
                      <span className="kind">{node.kind}</span>
                      <span className="name">{node.name}</span>
                      {node.simulated && node.kind === 'llm_call' && <SimulatedBadge />}
                    </span>
                    <StatusBadge status={node.status} />
                    <span className="muted num">{fmtDuration(node.duration_ms)}</span>
                    <span className="muted num">{fmtNumber((node.input_tokens ?? 0) + (node.output_tokens ?? 0))}</span>
                    <span className="muted num">{fmtCost(node.cost)}</span>
                  </div>
                </div>
              );
            })}
          </div>
        </div>
      </section>
      <section className="card">
        <h2>{t('execution.details')}</h2>
        {sel ? <NodeDetails node={sel} /> : <p className="muted">{t('execution.selectNode')}</p>}
      </section>
    </div>
  );
}
