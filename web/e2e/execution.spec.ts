import { expect, test } from '@playwright/test';
import { base, createCrew, signedIn } from './helpers';

test('run with inputs on the simulated provider, watch events live, resume after a drop, open the trace', async ({ page, request }) => {
  const user = await signedIn(page, request);
  const crew = await createCrew(request, user, 'live-crew', 6);
  await page.goto(`${base()}/crews/${crew.id}`);
  await page.getByRole('button', { name: '▶ Run' }).click();
  const form = page.getByTestId('run-form');
  await form.getByLabel(/topic/).fill('quantum computing');
  await form.getByRole('button', { name: 'Start run' }).click();
  await expect(page).toHaveURL(/\/executions\/[0-9a-f-]+$/);

  // Events arrive while the run is still running.
  await expect(page.getByTestId('status-badge').first()).toHaveText('Running');
  await expect(page.getByTestId('stream-state')).toContainText('Live');
  await expect(page.getByTestId('log-line').first()).toBeVisible();
  const early = await page.getByTestId('log-line').count();
  expect(early).toBeGreaterThan(0);
  await expect(page.getByTestId('simulated-badge').first()).toBeVisible();
  // Streamed llm_stream_chunk tokens are shown as they arrive.
  await expect(page.getByTestId('live-tokens')).toContainText('[simulated]');

  // A network drop mid-run: the stream reconnects from the last event id.
  await page.evaluate(() => (window as any).__aopStream.drop());
  await expect(page.getByTestId('status-badge').first()).toHaveText('Completed', { timeout: 30_000 });
  await expect(page.getByTestId('stream-state')).toContainText('Stream ended');
  const seqs: number[] = await page.evaluate(() => (window as any).__aopStream.events().map((e: any) => e.seq));
  const reconnects: number = await page.evaluate(() => (window as any).__aopStream.reconnects());
  expect(reconnects).toBeGreaterThanOrEqual(1);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1)); // every event once, in order, no gap
  // 1 start + 6 x (task, agent, llm_call, agent done, task done) + 1 end
  expect(seqs.length).toBe(32);
  await expect(page.getByTestId('log-count')).toHaveText('32 events');
  await expect(page.getByTestId('log')).toContainText('[simulated]');

  // Trace tree: crew -> 6 tasks -> agents -> llm calls; a node's details.
  await page.getByRole('tab', { name: 'Trace' }).click();
  await expect(page.locator('[data-testid=trace-node][data-kind=task]')).toHaveCount(6);
  await expect(page.locator('[data-testid=trace-node][data-kind=llm_call]')).toHaveCount(6);
  await page.locator('[data-testid=trace-node][data-kind=agent]').first().click();
  const details = page.getByTestId('trace-details');
  await expect(details).toContainText('researcher');
  await expect(details).toContainText('[simulated] A simulated answer');
  await page.locator('[data-testid=trace-node][data-kind=llm_call]').first().click();
  await expect(details.getByTestId('simulated-badge')).toBeVisible();
  await expect(details).toContainText('simulated/default');
  // Collapsing the first task hides its agent and call.
  await page.getByRole('button', { name: 'Toggle step_1' }).click();
  await expect(page.locator('[data-testid=trace-node][data-kind=llm_call]')).toHaveCount(5);

  await page.getByRole('tab', { name: 'Timeline' }).click();
  await expect(page.locator('.gantt-bar.k-llm_call')).toHaveCount(5 + 1);
  await page.getByRole('tab', { name: 'Metrics' }).click();
  await expect(page.getByTestId('metrics')).toContainText('simulated/default');
  await page.getByRole('tab', { name: 'Inputs and outputs' }).click();
  await expect(page.getByTestId('outputs')).toContainText('step_6');

  // The executions list shows the run; filters narrow it.
  await page.goto(`${base()}/executions`);
  await expect(page.getByTestId('executions-table').locator('tbody tr')).toHaveCount(1);
  await page.getByLabel('Status').selectOption('failed');
  await expect(page.getByTestId('empty-state')).toContainText('No execution matches');
  await page.getByLabel('Status').selectOption('completed');
  await expect(page.getByTestId('executions-table')).toContainText('live-crew');
});

test('cancel a running execution', async ({ page, request }) => {
  const user = await signedIn(page, request);
  const crew = await createCrew(request, user, 'long-crew', 40);
  const run = await request.post(`${base()}/api/crews/${crew.id}/run`, { headers: { Authorization: `Bearer ${user.access_token}` }, data: { inputs: { topic: 'x' } } });
  expect(run.status()).toBe(202);
  const { execution_id } = await run.json();
  await page.goto(`${base()}/executions/${execution_id}`);
  await expect(page.getByTestId('status-badge').first()).toHaveText('Running');
  await page.getByRole('button', { name: '■ Cancel run' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel run' }).click();
  await expect(page.getByTestId('status-badge').first()).toHaveText('Cancelled', { timeout: 15_000 });
  await expect(page.getByRole('button', { name: '■ Cancel run' })).toHaveCount(0);
  const res = await request.get(`${base()}/api/executions/${execution_id}`, { headers: { Authorization: `Bearer ${user.access_token}` } });
  expect((await res.json()).status).toBe('cancelled');
});
