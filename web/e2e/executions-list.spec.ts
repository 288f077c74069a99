// The executions table: filters go to the API as query parameters, pages follow next_cursor.
// The list endpoint is served by page.route so that two full pages exist without 60 real runs.
import { expect, test } from '@playwright/test';
import { base, signedIn } from './helpers';

const row = (i: number, cost: number | null) => ({
  id: `0000000-exec-${String(i).padStart(4, '0')}`, crew_id: null, crew_version: 1, status: i % 7 === 0 ? 'failed' : 'completed', is_test: false,
  inputs: {}, outputs: null, error_message: null, input_tokens: 100, output_tokens: 50, total_tokens: 150 + i, total_cost: cost,
  duration_ms: 1000 + i, cancel_requested: false, created_at: '2026-11-20T10:00:00Z', started_at: '2026-11-20T10:00:00Z', completed_at: '2026-11-20T10:00:01Z',
});

test('filters are sent to the API and cursor pagination moves between pages', async ({ page, request }) => {
  await signedIn(page, request);
  const asked: URL[] = [];
  await page.route(/\/api\/executions\?/, (r) => {
    const url = new URL(r.request().url());
    asked.push(url);
    const second = url.searchParams.get('cursor') === 'page-2';
    const items = Array.from({ length: second ? 10 : 50 }, (_, i) => row(second ? 50 + i : i, (i % 5) / 10));
    return r.fulfill({ json: { items, next_cursor: second ? null : 'page-2' } });
  });
  await page.goto(`${base()}/executions`);
  const rows = page.getByTestId('executions-table').locator('tbody tr');
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText('xec-0000');

  await page.getByRole('button', { name: 'Next →' }).click();
  await expect(rows).toHaveCount(10);
  await expect(rows.first()).toContainText('xec-0050');
  expect(asked.at(-1)!.searchParams.get('cursor')).toBe('page-2');
  await expect(page.getByRole('button', { name: 'Next →' })).toBeDisabled();
  await page.getByRole('button', { name: '← Previous' }).click();
  await expect(rows).toHaveCount(50);

  // Status and date range go to the server; the page restarts at the first cursor.
  await page.getByLabel('Status').selectOption('failed');
  await page.getByLabel('From').fill('2026-11-01');
  await page.getByLabel('To').fill('2026-11-21');
  await expect.poll(() => asked.at(-1)!.searchParams.get('to')).toBe('2026-11-22T00:00:00.000Z');
  const last = asked.at(-1)!;
  expect(last.searchParams.get('status')).toBe('failed');
  expect(last.searchParams.get('from')).toBe('2026-11-01T00:00:00.000Z');
  expect(last.searchParams.get('cursor')).toBeNull();

  // Minimum cost and search narrow the page in the browser.
  await page.getByLabel('Min cost (USD)').fill('0.4');
  await expect(rows).toHaveCount(10); // costs 0, .1, .2, .3, .4 repeat: one in five is >= 0.4
  await page.getByLabel('Min cost (USD)').fill('');
  await page.getByLabel('Search').fill('exec-0042');
  await expect(rows).toHaveCount(1);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(rows).toHaveCount(50);
});
