// The executions list: filters, search and order are answered by the real server; cursor pages
// (served by page.route, so that two full pages exist without 60 real runs) restart when they change.
import { expect, test, type Page } from '@playwright/test';
import { base, createCrew, signedIn } from './helpers';

const row = (i: number) => ({
  id: `0000000-exec-${String(i).padStart(4, '0')}`, crew_id: null, crew_version: 1, status: 'completed', is_test: false,
  inputs: {}, outputs: null, error_message: null, input_tokens: 100, output_tokens: 50, total_tokens: 150 + i, total_cost: 0,
  duration_ms: 1000 + i, cancel_requested: false, created_at: '2026-11-20T10:00:00Z', started_at: '2026-11-20T10:00:00Z', completed_at: '2026-11-20T10:00:01Z',
});

/** Collects the query strings of the list requests the page makes. */
function listRequests(page: Page): URL[] {
  const asked: URL[] = [];
  page.on('request', (r) => { if (/\/api\/executions\?/.test(r.url())) asked.push(new URL(r.url())); });
  return asked;
}

test('cursor pagination moves between pages and restarts when a filter or the order changes', async ({ page, request }) => {
  await signedIn(page, request);
  const asked = listRequests(page);
  await page.route(/\/api\/executions\?/, (r) => {
    const second = new URL(r.request().url()).searchParams.get('cursor') === 'page-2';
    const items = Array.from({ length: second ? 10 : 50 }, (_, i) => row(second ? 50 + i : i));
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

  // A new order from page 2: back to the first page, without the old order's cursor.
  await page.getByLabel('Sort by').selectOption({ label: 'Most expensive' });
  await expect.poll(() => asked.at(-1)!.searchParams.get('sort')).toBe('cost');
  expect(asked.at(-1)!.searchParams.get('cursor')).toBeNull();
  await expect(rows).toHaveCount(50);
  await expect(page.getByRole('button', { name: '← Previous' })).toBeDisabled();

  // Status and the date range go to the server, and the page restarts again.
  await page.getByRole('button', { name: 'Next →' }).click();
  await expect(rows).toHaveCount(10);
  await page.getByLabel('Status').selectOption('failed');
  await page.getByLabel('From').fill('2026-11-01');
  await page.getByLabel('To').fill('2026-11-21');
  await expect.poll(() => asked.at(-1)!.searchParams.get('to')).toBe(new Date(2026, 10, 22).toISOString());
  const last = asked.at(-1)!;
  expect(last.searchParams.get('status')).toBe('failed');
  expect(last.searchParams.get('from')).toBe(new Date(2026, 10, 1).toISOString());
  expect(last.searchParams.get('sort')).toBe('cost');
  expect(last.searchParams.get('cursor')).toBeNull();
  await expect(rows).toHaveCount(50);
});

test('search, cost range and order are answered by the server', async ({ page, request }) => {
  const user = await signedIn(page, request);
  const crew = await createCrew(request, user, 'filter-crew', 1);
  const auth = { Authorization: `Bearer ${user.access_token}` };
  const ids: Record<string, string> = {};
  for (const topic of ['zebracorn migration', 'ordinary weather', 'another ordinary day']) {
    const res = await request.post(`${base()}/api/crews/${crew.id}/run`, { headers: auth, data: { inputs: { topic } } });
    expect(res.status()).toBeLessThan(300);
    ids[topic] = (await res.json()).execution_id;
  }
  // Wait for the simulated runs to finish so that tokens and cost are known.
  await expect.poll(async () => {
    const list = await (await request.get(`${base()}/api/executions?crew_id=${crew.id}`, { headers: auth })).json();
    return list.items.filter((e: { status: string }) => e.status === 'completed').length;
  }, { timeout: 30_000 }).toBe(3);

  const asked = listRequests(page);
  await page.goto(`${base()}/executions`);
  const rows = page.getByTestId('executions-table').locator('tbody tr');
  await expect(rows).toHaveCount(3);

  // Text search over inputs (case-insensitive): only the run whose topic has the word.
  await page.getByLabel('Search').fill('ZEBRACORN');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(ids['zebracorn migration'].slice(-8));
  expect(asked.at(-1)!.searchParams.get('q')).toBe('ZEBRACORN');
  await page.getByLabel('Search').fill('ordinary');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('executions-table')).not.toContainText(ids['zebracorn migration'].slice(-8));
  await page.getByLabel('Search').fill('');
  await expect(rows).toHaveCount(3);

  // Simulated runs cost $0: a minimum of $1 leaves nothing, a maximum of $1 keeps them all.
  await page.getByLabel('Min cost (USD)').fill('1');
  await expect(page.getByTestId('empty-state')).toContainText('No execution matches these filters.');
  expect(asked.at(-1)!.searchParams.get('min_cost')).toBe('1');
  await page.getByLabel('Min cost (USD)').fill('');
  await page.getByLabel('Max cost (USD)').fill('1');
  await expect.poll(() => asked.at(-1)!.searchParams.get('max_cost')).toBe('1');
  await expect(rows).toHaveCount(3);

  // A value the server refuses is reported with the offending parameter.
  await page.getByLabel('Max cost (USD)').fill('-5');
  await expect(page.getByTestId('filter-error')).toContainText('max_cost');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(rows).toHaveCount(3);

  // Order: the request names it and the rows come back in that order.
  await page.getByLabel('Sort by').selectOption({ label: 'Oldest' });
  await expect.poll(() => asked.at(-1)!.searchParams.get('sort')).toBe('oldest');
  await expect(rows.first()).toContainText(ids['zebracorn migration'].slice(-8));
  await page.getByLabel('Sort by').selectOption({ label: 'Newest' });
  await expect(rows.first()).toContainText(ids['another ordinary day'].slice(-8));
  await page.getByLabel('Sort by').selectOption({ label: 'Most tokens' });
  await expect.poll(() => asked.at(-1)!.searchParams.get('sort')).toBe('tokens');
  const tokens = (await rows.locator('td:nth-child(6)').allTextContents()).map((s) => Number(s.replace(/\D/g, '')));
  expect(tokens).toEqual([...tokens].sort((a, b) => b - a));
});
