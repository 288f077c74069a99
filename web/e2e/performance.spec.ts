// The execution page with 10,000 log lines and 2,000 trace nodes: a synthetic execution whose
// REST and SSE responses are served by Playwright (page.route), so the browser does all the work.
import { expect, test } from '@playwright/test';
import { base, signedIn } from './helpers';

function sseBody(): { body: string; count: number } {
  const id = 'perf-exec';
  const events: string[] = [];
  let seq = 0;
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const push = (type: string, trace: string, parent: string | null, data: object, ms: number) => {
    seq++;
    const e = { seq, type, ts: new Date(t0 + ms).toISOString(), execution_id: id, trace_id: trace, parent_trace_id: parent, data };
    events.push(`id: ${seq}\nevent: ${type}\ndata: ${JSON.stringify(e)}\n\n`);
  };
  push('execution_started', 'crew', null, { crew_name: 'perf-crew', inputs: {} }, 0);
  for (let i = 0; i < 667; i++) {
    const ms = i * 100;
    push('task_started', `t${i}`, 'crew', { task_name: `task_${i}`, agent_name: 'worker' }, ms);
    push('agent_started', `a${i}`, `t${i}`, { agent_name: 'worker', task_name: `task_${i}`, model: 'simulated/default' }, ms);
    push('llm_call', `l${i}`, `a${i}`, { model: 'simulated/default', input_tokens: 10, output_tokens: 5, duration: 0.05, cost: 0, simulated: true, agent_name: 'worker' }, ms + 50);
    for (let j = 0; j < 10; j++) push('log', `a${i}`, `t${i}`, { level: j % 5 === 0 ? 'warn' : 'info', message: `working on task ${i} step ${j}` }, ms + 60);
    push('agent_completed', `a${i}`, `t${i}`, { agent_name: 'worker', output: `output ${i}` }, ms + 80);
    push('task_completed', `t${i}`, 'crew', { task_name: `task_${i}`, output: `output ${i}` }, ms + 90);
  }
  push('execution_completed', 'crew', null, { status: 'completed', outputs: {}, total_cost: 0 }, 667 * 100);
  return { body: events.join(''), count: seq };
}

test('10,000 log lines and 2,000 trace nodes stay virtualised and responsive', async ({ page, request }) => {
  await signedIn(page, request);
  const { body, count } = sseBody();
  expect(count).toBeGreaterThanOrEqual(10_000);
  const exec = { id: 'perf-exec', crew_id: null, crew_version: 1, status: 'completed', is_test: true, inputs: {}, outputs: {}, error_message: null,
    input_tokens: 6670, output_tokens: 3335, total_tokens: 10005, total_cost: 0, duration_ms: 66700, cancel_requested: false,
    created_at: '2026-01-01T00:00:00Z', started_at: '2026-01-01T00:00:00Z', completed_at: '2026-01-01T00:01:06Z' };
  await page.route('**/api/executions/perf-exec', (r) => r.fulfill({ json: exec }));
  await page.route('**/api/executions/perf-exec/stream-token', (r) => r.fulfill({ json: { token: 't', expires_at: exec.completed_at } }));
  await page.route('**/api/executions/perf-exec/stream?*', (r) => r.fulfill({ status: 200, contentType: 'text/event-stream', body }));

  const started = Date.now();
  await page.goto(`${base()}/executions/perf-exec`);
  await expect(page.getByTestId('log-count')).toHaveText(`${count} events`, { timeout: 20_000 });
  const loadMs = Date.now() - started;
  // Only the visible rows are in the DOM.
  expect(await page.getByTestId('log-line').count()).toBeLessThan(100);
  // Level filter over 10,000 lines.
  await page.getByLabel('Level').selectOption('warn');
  await expect(page.getByTestId('log-count')).toHaveText('1334 events');
  await page.getByLabel('Level').selectOption('');
  await page.getByRole('searchbox', { name: 'Search' }).fill('task 666 step');
  await expect(page.getByTestId('log-count')).toHaveText('10 events');
  await page.getByRole('searchbox', { name: 'Search' }).fill('');

  // Trace: 2,002 nodes; scrolling to the end renders the last task.
  const t1 = Date.now();
  await page.getByRole('tab', { name: 'Trace' }).click();
  await expect(page.getByTestId('trace-node').first()).toBeVisible();
  const traceMs = Date.now() - t1;
  expect(await page.getByTestId('trace-node').count()).toBeLessThan(100);
  await page.getByTestId('trace-tree').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.getByText('task_666', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Collapse all' }).click();
  await expect(page.getByTestId('trace-node')).toHaveCount(1);

  // Scrolling the log stays smooth: frames while scrolling through it.
  await page.getByRole('tab', { name: 'Live log' }).click();
  const frameMs: number = await page.getByTestId('log').evaluate(async (el) => {
    const times: number[] = [];
    let last = performance.now();
    for (let i = 0; i < 60; i++) {
      el.scrollTop += 400; // about 20 lines per frame, a fast wheel scroll
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      times.push(now - last);
      last = now;
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length * 0.95)];
  });
  const idleMs: number = await page.evaluate(async () => {
    const times: number[] = [];
    let last = performance.now();
    for (let i = 0; i < 30; i++) {
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      times.push(now - last);
      last = now;
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length * 0.95)];
  });
  console.log(`perf: idle p95 frame ${idleMs.toFixed(1)} ms; `
    + ` ${count} events loaded in ${loadMs} ms, trace tab ${traceMs} ms, p95 frame while scrolling ${frameMs.toFixed(1)} ms`);
  expect(frameMs).toBeLessThan(Math.max(50, idleMs * 2));
});
