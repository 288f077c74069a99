// Screenshots of the main pages in light and dark mode (and one in Korean), saved under
// tests/e2e/output/screenshots for a visual check; each page is also asserted to render.
import { expect, test } from '@playwright/test';
import { base, createCrew, screenshot, signedIn } from './helpers';

test('main pages in light and dark mode', async ({ page, request }) => {
  const user = await signedIn(page, request);
  const crew = await createCrew(request, user, 'showcase-crew', 3);
  const run = await request.post(`${base()}/api/crews/${crew.id}/run`, { headers: { Authorization: `Bearer ${user.access_token}` }, data: { inputs: { topic: 'solar power' } } });
  const { execution_id } = await run.json();
  await createCrew(request, user, 'second-crew', 2);
  await request.post(`${base()}/api/llm-providers`, { headers: { Authorization: `Bearer ${user.access_token}` }, data: {
    name: 'gateway', provider: 'openai_compatible', base_url: 'http://10.0.0.5:8000/v1', models: ['qwen-2.5', 'llama-3'],
    pricing: { 'qwen-2.5': { input: 0.4, output: 1.6, cached_input: 0.1 }, 'llama-3': { input: 0.2, output: 0.6 } } } });
  await expect.poll(async () => (await (await request.get(`${base()}/api/executions/${execution_id}`, { headers: { Authorization: `Bearer ${user.access_token}` } })).json()).status, { timeout: 20_000 }).toBe('completed');

  for (const theme of ['light', 'dark']) {
    await page.evaluate((t) => localStorage.setItem('aop.theme', t), theme);
    await page.goto(`${base()}/`);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await expect(page.getByTestId('stat-crews').locator('.value')).toHaveText('2');
    await expect(page.getByTestId('chart-executions')).toBeVisible();
    await expect(page.getByTestId('stat-success').locator('.value')).toHaveText('100%');
    await screenshot(page, `dashboard-${theme}`);

    await page.goto(`${base()}/crews`);
    await expect(page.getByTestId('crew-card')).toHaveCount(2);
    await expect(page.getByTestId('simulated-badge')).toHaveCount(2);
    await screenshot(page, `crews-${theme}`);

    await page.goto(`${base()}/crews/${crew.id}/tasks`);
    await expect(page.getByTestId('validation-ok')).toBeVisible();
    await screenshot(page, `crew-tasks-${theme}`);
    await page.getByRole('tab', { name: 'Agents' }).click();
    await expect(page.getByLabel('Role')).toHaveValue('{topic} Researcher');
    await screenshot(page, `crew-agents-${theme}`);

    await page.goto(`${base()}/executions/${execution_id}`);
    await expect(page.getByTestId('status-badge').first()).toHaveText('Completed', { timeout: 20_000 });
    await expect(page.getByTestId('log-count')).toHaveText('17 events');
    await screenshot(page, `execution-log-${theme}`);
    await page.getByRole('tab', { name: 'Trace' }).click();
    await page.locator('[data-testid=trace-node][data-kind=agent]').first().click();
    await expect(page.getByTestId('trace-details')).toContainText('[simulated]');
    await screenshot(page, `execution-trace-${theme}`);
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await expect(page.locator('.gantt-bar')).toHaveCount(10);
    await screenshot(page, `execution-timeline-${theme}`);

    await page.goto(`${base()}/executions`);
    await expect(page.getByTestId('executions-table')).toContainText('showcase-crew');
    await screenshot(page, `executions-${theme}`);

    await page.goto(`${base()}/settings/apiKeys`);
    await expect(page.getByRole('heading', { name: 'Create key' })).toBeVisible();
    await expect(page.getByTestId('empty-state')).toBeVisible();
    await screenshot(page, `settings-${theme}`);

    await page.goto(`${base()}/settings/llm`);
    await expect(page.getByRole('button', { name: 'Edit prices of gateway' })).toHaveText('2 models priced');
    await screenshot(page, `settings-llm-${theme}`);
    await page.getByRole('button', { name: 'Edit prices of gateway' }).click();
    await expect(page.getByTestId('price-row')).toHaveCount(2);
    await screenshot(page, `settings-llm-prices-${theme}`);
  }
  await page.evaluate(() => localStorage.setItem('aop.lang', 'ko'));
  await page.goto(`${base()}/`);
  await expect(page.getByRole('heading', { name: '대시보드' })).toBeVisible();
  await expect(page.getByTestId('chart-executions')).toBeVisible();
  await expect(page.getByText('기간별 실행 수')).toBeVisible();
  await screenshot(page, 'dashboard-dark-ko');
  await page.goto(`${base()}/executions`);
  await expect(page.getByRole('heading', { name: '실행 기록', exact: true })).toBeVisible();
  await screenshot(page, 'executions-dark-ko');
  await page.goto(`${base()}/settings/llm`);
  await page.getByRole('button', { name: 'gateway 가격 편집' }).click();
  await expect(page.getByRole('dialog', { name: 'gateway 모델 가격' })).toBeVisible();
  await screenshot(page, 'settings-llm-prices-dark-ko');
  await page.setViewportSize({ width: 820, height: 1100 });
  await page.evaluate(() => localStorage.setItem('aop.lang', 'en'));
  await page.goto(`${base()}/crews/${crew.id}`);
  await expect(page.getByRole('heading', { name: 'showcase-crew' })).toBeVisible();
  await screenshot(page, 'crew-tablet-dark');
});
