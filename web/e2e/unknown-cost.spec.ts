// A run on a model without a price has an unknown cost: the dashboard says how many there are
// (unknown_cost_executions), and pricing the model makes the next run's cost known.
import { expect, test } from '@playwright/test';
import { base, screenshot, signedIn } from './helpers';
import { startFakeLlm } from './fake-llm';

test('the dashboard counts runs of unknown cost', async ({ page, request }) => {
  const llm = await startFakeLlm();
  try {
    const user = await signedIn(page, request);
    const auth = { Authorization: `Bearer ${user.access_token}` };
    const conn = await request.post(`${base()}/api/llm-providers`, { headers: auth, data: { name: 'lab', provider: 'openai_compatible', base_url: llm.baseUrl, models: [] } });
    expect(conn.status()).toBe(201);
    const yaml = 'name: unpriced\nagents:\n  writer:\n    role: Writer\n    goal: Write\n    backstory: Brief.\n    llm: lab/tiny\n'
      + 'tasks:\n  note:\n    description: Write a note\n    expected_output: A short note\n    agent: writer\n';
    const crew = await (await request.post(`${base()}/api/crews`, { headers: { ...auth, 'Content-Type': 'application/yaml' }, data: yaml })).json();
    const finished = async () => {
      const { execution_id } = await (await request.post(`${base()}/api/crews/${crew.id}/run`, { headers: auth, data: { inputs: {} } })).json();
      await expect.poll(async () => (await (await request.get(`${base()}/api/executions/${execution_id}`, { headers: auth })).json()).status, { timeout: 30_000 }).toBe('completed');
      return (await (await request.get(`${base()}/api/executions/${execution_id}`, { headers: auth })).json()) as { total_cost: number | null };
    };
    expect((await finished()).total_cost).toBeNull();

    await page.goto(`${base()}/`);
    await expect(page.getByTestId('stat-cost').getByTestId('unknown-cost')).toHaveText('1 run of unknown cost');
    await expect(page.getByTestId('chart-executions')).toBeVisible();
    await screenshot(page, 'dashboard-unknown-cost');

    // With a price for lab/tiny the next run has a cost and the count stays at one.
    await request.put(`${base()}/api/llm-providers/${(await conn.json()).id}`, { headers: auth, data: { pricing: { tiny: { input: 1, output: 2 } } } });
    expect((await finished()).total_cost).toBeCloseTo((12 * 1 + 4 * 2) / 1e6, 12);
    await page.reload();
    await expect(page.getByTestId('stat-success').locator('.value')).toHaveText('100%');
    await expect(page.getByTestId('unknown-cost')).toHaveText('1 run of unknown cost');
  } finally {
    await llm.close();
  }
});
