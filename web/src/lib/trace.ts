// Trace tree and log lines built client-side from execution events (DESIGN section 6), or
// from GET /api/executions/{id}/traces spans when the server provides them.
import type { ExecEvent, Span } from './types';
import i18n from './i18n';
import { fmtCost } from './format';

export interface TraceNode extends Span {
  children: string[];
}

export interface Trace {
  nodes: Map<string, TraceNode>;
  roots: string[];
  start: number; // ms epoch of the earliest node
  end: number;
}

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : NaN);

function node(nodes: Map<string, TraceNode>, id: string, parent: string | null, kind: Span['kind'], name: string): TraceNode {
  let n = nodes.get(id);
  if (!n) {
    n = { id, parent_id: parent, kind, name, status: 'running', started_at: null, ended_at: null, duration_ms: null, children: [], metadata: {} };
    nodes.set(id, n);
  }
  return n;
}

function link(t: Trace) {
  t.roots = [];
  for (const n of t.nodes.values()) n.children = [];
  for (const n of t.nodes.values()) {
    const p = n.parent_id ? t.nodes.get(n.parent_id) : undefined;
    if (p) p.children.push(n.id);
    else t.roots.push(n.id);
  }
  let start = Infinity, end = -Infinity;
  for (const n of t.nodes.values()) {
    const s = ms(n.started_at), e = ms(n.ended_at);
    if (!isNaN(s)) start = Math.min(start, s);
    if (!isNaN(e)) end = Math.max(end, e);
    if (!isNaN(s)) end = Math.max(end, s);
  }
  t.start = isFinite(start) ? start : Date.now();
  t.end = isFinite(end) ? end : t.start;
}

export function traceFromSpans(spans: Span[]): Trace {
  const t: Trace = { nodes: new Map(), roots: [], start: 0, end: 0 };
  for (const s of spans) t.nodes.set(s.id, { ...s, simulated: s.simulated ?? String(s.model ?? '').startsWith('simulated/'), children: [] });
  link(t);
  return t;
}

export function traceFromEvents(events: ExecEvent[], now = Date.now()): Trace {
  const t: Trace = { nodes: new Map(), roots: [], start: 0, end: 0 };
  const nodes = t.nodes;
  for (const e of events) {
    const id = e.trace_id ?? `seq-${e.seq}`;
    const d = e.data ?? {};
    switch (e.type) {
      case 'execution_started': {
        const n = node(nodes, id, e.parent_trace_id, 'crew', d.crew_name ?? 'crew');
        n.started_at = e.ts;
        n.inputs = d.inputs;
        break;
      }
      case 'task_started': {
        const n = node(nodes, id, e.parent_trace_id, 'task', d.task_name ?? 'task');
        n.started_at = e.ts;
        n.inputs = d;
        break;
      }
      case 'agent_started': {
        const n = node(nodes, id, e.parent_trace_id, 'agent', d.agent_name ?? 'agent');
        n.started_at = e.ts;
        n.model = d.model ?? null;
        n.simulated = String(d.model ?? '').startsWith('simulated/');
        n.inputs = d;
        break;
      }
      case 'llm_call':
      case 'tool_call': {
        const isLlm = e.type === 'llm_call';
        const n = node(nodes, id, e.parent_trace_id, isLlm ? 'llm_call' : 'tool', isLlm ? d.model ?? 'llm' : d.tool_name ?? 'tool');
        const dur = typeof d.duration === 'number' ? d.duration * 1000 : 0;
        n.ended_at = e.ts;
        n.started_at = new Date(ms(e.ts) - dur).toISOString();
        n.duration_ms = dur;
        n.status = d.error ? 'failed' : 'completed';
        if (isLlm) {
          n.model = d.model;
          n.input_tokens = d.input_tokens ?? 0;
          n.output_tokens = d.output_tokens ?? 0;
          n.cost = d.cost ?? null;
          n.simulated = d.simulated === true || String(d.model ?? '').startsWith('simulated/');
          n.inputs = d.messages ?? d.prompt ?? { agent_name: d.agent_name, task_name: d.task_name };
          n.outputs = d.response ?? d.output ?? d.text;
        } else {
          n.inputs = d.inputs;
          n.outputs = d.outputs;
        }
        n.metadata = d;
        break;
      }
      case 'agent_completed':
      case 'task_completed':
      case 'execution_completed': {
        const kind = e.type === 'agent_completed' ? 'agent' : e.type === 'task_completed' ? 'task' : 'crew';
        const n = node(nodes, id, e.parent_trace_id, kind, d.agent_name ?? d.task_name ?? 'crew');
        n.ended_at = e.ts;
        n.status = d.status ?? 'completed';
        n.outputs = d.output ?? d.outputs;
        if (d.error_message) n.error = d.error_message;
        break;
      }
      case 'task_skipped': {
        const n = node(nodes, id, e.parent_trace_id, 'task', d.task_name ?? 'task');
        n.started_at ??= e.ts;
        n.ended_at = e.ts;
        n.status = 'skipped';
        n.outputs = d.reason;
        break;
      }
      case 'error': {
        const n = nodes.get(id);
        if (n) {
          n.status = 'failed';
          n.error = d.message ?? d;
        }
        break;
      }
    }
  }
  for (const n of nodes.values()) {
    const s = ms(n.started_at);
    const end = n.ended_at ? ms(n.ended_at) : now;
    if (n.duration_ms == null && !isNaN(s)) n.duration_ms = Math.max(0, end - s);
    if (!n.ended_at && n.status === 'running' && n.kind !== 'crew') {
      /* still running */
    }
  }
  // Roll token and cost totals up to agents, tasks and the crew.
  const visit = (n: TraceNode): [number, number, number | null] => {
    let inp = n.input_tokens ?? 0, out = n.output_tokens ?? 0, cost: number | null = n.cost ?? null;
    for (const c of n.children) {
      const [a, b, cc] = visit(nodes.get(c)!);
      if (n.kind !== 'llm_call') {
        inp += a; out += b;
        if (cc != null) cost = (cost ?? 0) + cc;
      }
    }
    if (n.kind !== 'llm_call') {
      n.input_tokens = inp; n.output_tokens = out; n.cost = cost;
    }
    return [n.input_tokens ?? 0, n.output_tokens ?? 0, n.cost ?? null];
  };
  link(t);
  for (const r of t.roots) visit(nodes.get(r)!);
  return t;
}

/** Depth-first rows of the visible (not collapsed) part of the tree. */
export function flatten(t: Trace, collapsed: Set<string>): { node: TraceNode; depth: number }[] {
  const out: { node: TraceNode; depth: number }[] = [];
  const stack: [string, number][] = t.roots.slice().reverse().map((r) => [r, 0]);
  while (stack.length) {
    const [id, depth] = stack.pop()!;
    const n = t.nodes.get(id);
    if (!n) continue;
    out.push({ node: n, depth });
    if (!collapsed.has(id)) for (let i = n.children.length - 1; i >= 0; i--) stack.push([n.children[i], depth + 1]);
  }
  return out;
}

export interface LogLine {
  seq: number;
  ts: string;
  level: string;
  message: string;
  type: string;
}

function summary(e: ExecEvent): string {
  const d = e.data ?? {};
  const t = i18n.t.bind(i18n);
  const ms = (x: unknown) => Math.round(Number(x ?? 0) * 1000);
  switch (e.type) {
    case 'execution_started': return t('log.execution_started', { crew: d.crew_name ?? d.crew_id ?? '' });
    case 'task_started': return t('log.task_started', { task: d.task_name, agent: d.agent_name });
    case 'agent_started': return t('log.agent_started', { agent: d.agent_name, task: d.task_name, model: d.model ? t('log.withModel', { model: d.model }) : '' });
    case 'llm_call': return t('log.llm_call', {
      model: d.model, sim: d.simulated || String(d.model).startsWith('simulated/') ? ` [${t('common.simulated')}]` : '',
      input: d.input_tokens ?? 0, output: d.output_tokens ?? 0, ms: ms(d.duration) });
    case 'tool_call': return t('log.tool_call', { tool: d.tool_name, ms: ms(d.duration) });
    case 'agent_completed': return t('log.agent_completed', { agent: d.agent_name });
    case 'task_completed': return t('log.task_completed', { task: d.task_name });
    case 'task_skipped': return t('log.task_skipped', { task: d.task_name, reason: d.reason ?? '' });
    case 'error': return t('log.error', { type: d.error_type ?? 'Error', message: d.message ?? '' });
    case 'execution_completed': return t('log.execution_completed', {
      status: t(`status.${d.status}`, { defaultValue: d.status }).toLowerCase(), cost: d.total_cost != null ? t('log.cost', { cost: fmtCost(Number(d.total_cost)) }) : '' });
    case 'log': return String(d.message ?? '');
    default: return e.type;
  }
}

export function toLogLine(e: ExecEvent): LogLine {
  const level = e.type === 'log' ? String(e.data?.level ?? 'info').toLowerCase() : e.type === 'error' || (e.type === 'execution_completed' && e.data?.status === 'failed') ? 'error' : 'info';
  return { seq: e.seq, ts: e.ts, level: level === 'warning' ? 'warn' : level, message: summary(e), type: e.type };
}
