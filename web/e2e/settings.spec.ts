import { expect, test } from '@playwright/test';
import { base, signedIn } from './helpers';

test('create an API key, use it with fetch, revoke it', async ({ page, request }) => {
  await signedIn(page, request);
  await page.goto(`${base()}/settings/apiKeys`);
  await expect(page.getByTestId('empty-state')).toContainText('No API keys');
  await page.getByLabel('Key name').fill('ci-key');
  await page.getByLabel('Rate limit (requests/minute)').fill('100');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = await page.getByTestId('issued-key').inputValue();
  expect(key).toMatch(/^aop_/);
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).last().click();
  await expect(page.getByTestId('api-keys')).toContainText('ci-key');
  await expect(page.getByTestId('api-keys')).not.toContainText(key);

  const call = (k: string) => page.evaluate(async (k) => (await fetch('/api/crews', { headers: { Authorization: `Bearer ${k}` } })).status, k);
  expect(await call(key)).toBe(200);

  // Regenerate: a new secret, shown once; the old one stops working.
  await page.getByRole('button', { name: 'Regenerate' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Regenerate' }).click();
  const fresh = await page.getByTestId('issued-key').inputValue();
  expect(fresh).toMatch(/^aop_/);
  expect(fresh).not.toBe(key);
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).last().click();
  expect(await call(key)).toBe(401);
  expect(await call(fresh)).toBe(200);

  await page.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByTestId('empty-state')).toBeVisible();
  expect(await call(fresh)).toBe(401);
});

test('dark mode and Korean are applied and saved in the user settings', async ({ page, request }) => {
  const user = await signedIn(page, request);
  await page.goto(`${base()}/settings/appearance`);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByLabel('Dark').check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByLabel('Language').selectOption('ko');
  await expect(page.getByRole('heading', { name: '설정' })).toBeVisible();
  await expect(page.getByRole('link', { name: '대시보드' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');

  const me = await (await request.get(`${base()}/api/auth/me`, { headers: { Authorization: `Bearer ${user.access_token}` } })).json();
  expect(me.settings).toMatchObject({ theme: 'dark', language: 'ko' });

  // A fresh browser profile (no local choice) gets them from the server.
  await page.evaluate(() => { localStorage.removeItem('aop.lang'); localStorage.removeItem('aop.theme'); });
  await page.goto(`${base()}/crews`);
  await expect(page.getByRole('heading', { name: '크루', exact: true })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('profile name and an LLM connection with a write-only key', async ({ page, request }) => {
  const user = await signedIn(page, request);
  await page.goto(`${base()}/settings/profile`);
  await page.getByLabel('Name', { exact: true }).fill('Renamed Person');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('profile-name')).toHaveText('Renamed Person');

  await page.getByRole('tab', { name: 'LLM connections' }).click();
  await expect(page.getByText('simulated/default')).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill('local-vllm');
  await page.getByLabel('Provider').selectOption('openai_compatible');
  await page.getByLabel('Base URL').fill('http://10.0.0.5:8000/v1');
  await page.getByLabel('API key').fill('sk-very-secret');
  await page.getByLabel('Default model').fill('qwen');
  await page.getByLabel('Models (comma-separated)').fill('qwen, llama');
  await page.getByRole('button', { name: 'Add connection' }).last().click();
  const row = page.getByRole('row', { name: /local-vllm/ });
  await expect(row).toContainText('key stored');
  await expect(row).toContainText('http://10.0.0.5:8000/v1');
  await expect(page.getByText('sk-very-secret')).toHaveCount(0);
  const list = await (await request.get(`${base()}/api/llm-providers`, { headers: { Authorization: `Bearer ${user.access_token}` } })).json();
  expect(list.items[0]).toMatchObject({ name: 'local-vllm', provider: 'openai_compatible', default_model: 'qwen', models: ['qwen', 'llama'], has_api_key: true });
  await row.getByRole('checkbox').click();
  await expect.poll(async () => (await (await request.get(`${base()}/api/llm-providers`, { headers: { Authorization: `Bearer ${user.access_token}` } })).json()).items[0].is_enabled).toBe(false);
  await expect(row.getByRole('checkbox')).not.toBeChecked();
});
