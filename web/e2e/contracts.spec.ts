// The dashboard against the real GET /api/analytics/overview; the trace and metrics test below
// still serves its endpoints by page.route with the shapes of the contract.
import { expect, test } from '@playwright/test';
import { base, createCrew, signedIn } from './helpers';

test('the dashboard shows the figures of GET /api/analytics/overview', async ({ page, request }) => {
  const user = await signedIn(page, request);
  const auth = { Authorization: `Bearer ${user.access_token}` };
  const crew = await createCrew(request, user, 'dash-crew', 1);
  await createCrew(request, user, 'dash-crew-2', 1);
  const run = await request.post(`${base()}/api/crews/${crew.id}/run`, { headers: auth, data: { inputs: { topic: 'x' } } });
  const { execution_id } = await run.json();
  await expect.poll(async () => (await (await request.get(`${base()}/api/executions/${execution_id}`, { headers: auth })).json()).status, { timeout: 30_000 }).toBe('completed');

  const answered = page.waitForResponse((r) => r.url().includes('/api/analytics/overview?'));
  await page.goto(`${base()}/`);
  const res = await answered;
  expect(res.status()).toBe(200);
  const asked = new URL(res.url());
  expect(asked.searchParams.get('bucket')).toBe('day');
  expect(asked.searchParams.get('from')).toMatch(/^\d{4}-\d\d-\d\dT/);
  const body = await res.json();
  expect(body).toMatchObject({ total_crews: 2, completed: 1, unknown_cost_executions: 0 });

  await expect(page.getByTestId('stat-crews').locator('.value')).toHaveText('2');
  await expect(page.getByTestId('stat-success').locator('.value')).toHaveText('100%');
  await expect(page.getByTestId('stat-cost').locator('.value')).toHaveText('$0.00');
  await expect(page.getByText('Computed from the latest executions')).toHaveCount(0);
  await expect(page.getByTestId('unknown-cost')).toHaveCount(0);
  // One bar: today's run.
  await expect(page.getByTestId('chart-executions').locator('path.recharts-rectangle')).toHaveCount(1);
});

test('a finished execution shows the server trace spans and metrics when the endpoints exist', async ({ page, request }) => {
  await signedIn(page, request);
  const t = (s: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + s * 1000).toISOString();
  const exec = { id: 'span-exec', crew_id: null, crew_version: 1, status: 'completed', is_test: false, inputs: { topic: 'x' }, outputs: { write: '# Report\n\nDone.' },
    error_message: null, input_tokens: 10, output_tokens: 5, total_tokens: 15, total_cost: 0.5, duration_ms: 3000, cancel_requested: false,
    created_at: t(0), started_at: t(0), completed_at: t(3) };
  const span = (id: string, parent: string | null, kind: string, name: string, s: number, e: number, extra = {}) => ({
    id, parent_id: parent, kind, name, status: 'completed', started_at: t(s), ended_at: t(e), duration_ms: (e - s) * 1000, model: null,
    input_tokens: 0, output_tokens: 0, cost: null, inputs: null, outputs: null, error: null, metadata: {}, ...extra });
  await page.route('**/api/executions/span-exec', (r) => r.fulfill({ json: exec }));
  await page.route('**/api/executions/span-exec/stream-token', (r) => r.fulfill({ json: { token: 't', expires_at: t(60) } }));
  await page.route('**/api/executions/span-exec/stream?*', (r) => r.fulfill({ contentType: 'text/event-stream',
    body: `id: 1\nevent: execution_completed\ndata: ${JSON.stringify({ seq: 1, type: 'execution_completed', ts: t(3), execution_id: 'span-exec', trace_id: 'c', parent_trace_id: null, data: { status: 'completed' } })}\n\n` }));
  await page.route('**/api/executions/span-exec/traces', (r) => r.fulfill({ json: { execution_id: 'span-exec', spans: [
    span('c', null, 'crew', 'server-crew', 0, 3),
    span('t', 'c', 'task', 'write', 0, 3),
    span('a', 't', 'agent', 'writer', 0, 3),
    span('l', 'a', 'llm_call', 'simulated/default', 1, 2, { model: 'simulated/default', input_tokens: 10, output_tokens: 5, cost: 0.5, inputs: 'the prompt', outputs: 'the answer' }),
    span('x', 'a', 'tool', 'calculator', 2, 2.5, { inputs: { expression: '2+2' }, outputs: '4' }),
  ] } }));
  await page.route('**/api/executions/span-exec/metrics', (r) => r.fulfill({ json: {
    totals: { input_tokens: 10, output_tokens: 5, cost: 0.5 },
    by_model: [{ model: 'simulated/default', calls: 1, input_tokens: 10, output_tokens: 5, cost: 0.5 }],
    by_agent: [{ agent: 'writer', calls: 1, input_tokens: 10, output_tokens: 5, cost: 0.5 }], by_task: [],
    llm_calls: { count: 1, latency_ms_p50: 1500, latency_ms_p95: 2500 } } }));

  await page.goto(`${base()}/executions/span-exec`);
  await expect(page.getByTestId('stream-state')).toContainText('Stream ended');
  await page.getByRole('tab', { name: 'Trace' }).click();
  await expect(page.getByTestId('trace-node')).toHaveCount(5);
  await page.locator('[data-testid=trace-node][data-kind=tool]').click();
  await expect(page.getByTestId('trace-details')).toContainText('"expression": "2+2"');
  await page.locator('[data-testid=trace-node][data-kind=llm_call]').click();
  await expect(page.getByTestId('trace-details')).toContainText('the answer');
  await expect(page.getByTestId('trace-details').getByTestId('simulated-badge')).toBeVisible();
  await page.getByRole('tab', { name: 'Metrics' }).click();
  await expect(page.getByTestId('metrics')).toContainText('1.5 s');
  await expect(page.getByTestId('metrics')).toContainText('2.5 s');
  await page.getByRole('tab', { name: 'Inputs and outputs' }).click();
  await expect(page.getByTestId('outputs').getByRole('heading', { name: 'Report' })).toBeVisible();
});
