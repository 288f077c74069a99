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
