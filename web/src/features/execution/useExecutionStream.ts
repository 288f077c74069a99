// Live events of one execution over SSE (EventSource + stream token). Reconnects after a drop
// and resumes from the last event id; events already seen are ignored (no duplicates).
import { useEffect, useRef, useState } from 'react';
import { api } from '../../lib/api';
import type { ExecEvent } from '../../lib/types';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'ended';

const TYPES = ['execution_started', 'task_started', 'agent_started', 'llm_call', 'llm_stream_chunk', 'tool_call', 'agent_completed',
  'task_completed', 'task_skipped', 'log', 'error', 'execution_completed', 'delegation', 'dropped'];

export interface StreamData {
  events: ExecEvent[];
  /** Live text of streamed LLM tokens, by the trace id of the call. */
  chunks: Map<string, string>;
  lastChunkTrace: string | null;
  version: number;
  state: StreamState;
  reconnects: number;
}

/** `finished`: the execution is known to have ended (from its REST read); a stream that then
 * closes without execution_completed is not reconnected forever. */
export function useExecutionStream(id: string, finished = false): StreamData {
  const finishedRef = useRef(finished);
  finishedRef.current = finished;
  const store = useRef({ events: [] as ExecEvent[], lastSeq: 0, chunks: new Map<string, string>(), lastChunkTrace: null as string | null, done: false, reconnects: 0 });
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<StreamState>('connecting');

  useEffect(() => {
    const s: typeof store.current = { events: [], lastSeq: 0, chunks: new Map(), lastChunkTrace: null, done: false, reconnects: 0 };
    store.current = s;
    let es: EventSource | null = null;
    let stopped = false;
    let retry = 0;
    let closedWhileFinished = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let frame = 0;
    const flush = () => {
      if (!frame) frame = requestAnimationFrame(() => { frame = 0; setVersion((v) => v + 1); });
    };

    const reconnect = (delay: number) => {
      es?.close();
      es = null;
      if (stopped || s.done) return;
      setState('reconnecting');
      s.reconnects++;
      clearTimeout(timer);
      timer = setTimeout(connect, delay);
    };

    const onEvent = (msg: MessageEvent) => {
      let e: ExecEvent;
      try {
        e = JSON.parse(msg.data);
      } catch {
        return;
      }
      if (e.type === 'dropped') return reconnect(0);
      if (e.type === 'llm_stream_chunk') {
        const key = e.trace_id ?? 'stream';
        s.chunks.set(key, (s.chunks.get(key) ?? '') + String(e.data?.text ?? ''));
        s.lastChunkTrace = key;
        return flush();
      }
      if (e.seq <= s.lastSeq) return; // replayed duplicate
      s.lastSeq = e.seq;
      s.events.push(e);
      if (e.type === 'execution_completed') {
        s.done = true;
        es?.close();
        setState('ended');
      }
      flush();
    };

    async function connect() {
      if (stopped) return;
      try {
        const { token } = await api<{ token: string }>(`/api/executions/${id}/stream-token`, { method: 'POST' });
        if (stopped) return;
        const q = new URLSearchParams({ stream_token: token });
        if (s.lastSeq) q.set('last_event_id', String(s.lastSeq));
        const source = new EventSource(`/api/executions/${id}/stream?${q}`);
        es = source;
        source.onopen = () => {
          retry = 0;
          setState('live');
        };
        for (const type of TYPES) source.addEventListener(type, onEvent as EventListener);
        source.onmessage = onEvent;
        source.onerror = () => {
          if (es !== source) return;
          if (s.done || (finishedRef.current && ++closedWhileFinished >= 2)) {
            source.close();
            setState('ended');
            return;
          }
          reconnect(Math.min(500 * 2 ** retry++, 8000));
        };
      } catch {
        reconnect(Math.min(1000 * 2 ** retry++, 10000));
      }
    }
    void connect();
    // Test and debugging hook: simulate a network drop.
    (window as any).__aopStream = { drop: () => reconnect(100), events: () => s.events, reconnects: () => s.reconnects };
    return () => {
      stopped = true;
      es?.close();
      clearTimeout(timer);
      cancelAnimationFrame(frame);
    };
  }, [id]);

  const s = store.current;
  return { events: s.events, chunks: s.chunks, lastChunkTrace: s.lastChunkTrace, version, state, reconnects: s.reconnects };
}
