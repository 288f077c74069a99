// Per-model prices of an LLM connection: saved through `pricing`, shown again after a reload;
// a price the server refuses is reported at its row.
import { expect, test } from '@playwright/test';
import { base, signedIn } from './helpers';

test('set a model price, reload and see it; a negative price shows the server error at its row', async ({ page, request }) => {
  const user = await signedIn(page, request);
  const auth = { Authorization: `Bearer ${user.access_token}` };
  const made = await request.post(`${base()}/api/llm-providers`, { headers: auth, data: { name: 'gateway', provider: 'openai_compatible', base_url: 'http://127.0.0.1:9/v1', models: [] } });
  expect(made.status()).toBe(201);

  await page.goto(`${base()}/settings/llm`);
  await page.getByRole('button', { name: 'Edit prices of gateway' }).click();
  const dialog = page.getByRole('dialog', { name: 'Prices for gateway' });
  const price = (what: string, model: string) => dialog.getByLabel(`${what} price for ${model} (USD per million tokens)`, { exact: true });
  await dialog.getByLabel('Model name, row 1').fill('qwen-2.5');
  await price('Input', 'qwen-2.5').fill('0.4');
  await price('Output', 'qwen-2.5').fill('1.6');
  await price('Cached input', 'qwen-2.5').fill('0.1');
  await dialog.getByRole('button', { name: 'Save prices' }).click();
  await expect(dialog).toHaveCount(0);
  const stored = await (await request.get(`${base()}/api/llm-providers`, { headers: auth })).json();
  expect(stored.items[0].pricing).toEqual({ 'qwen-2.5': { input: 0.4, output: 1.6, cached_input: 0.1 } });

  await page.reload();
  await expect(page.getByRole('button', { name: 'Edit prices of gateway' })).toHaveText('1 model priced');
  await page.getByRole('button', { name: 'Edit prices of gateway' }).click();
  await expect(dialog.getByLabel('Model name, row 1')).toHaveValue('qwen-2.5');
  await expect(price('Input', 'qwen-2.5')).toHaveValue('0.4');
  await expect(price('Output', 'qwen-2.5')).toHaveValue('1.6');
  await expect(price('Cached input', 'qwen-2.5')).toHaveValue('0.1');

  // A second model with a negative price: the server refuses it and names that row, not the first.
  await dialog.getByRole('button', { name: 'Add model' }).click();
  await dialog.getByLabel('Model name, row 2').fill('llama-3');
  await price('Input', 'llama-3').fill('-1');
  await price('Output', 'llama-3').fill('2');
  await dialog.getByRole('button', { name: 'Save prices' }).click();
  const rows = dialog.getByTestId('price-row');
  await expect(rows.nth(1).getByTestId('price-error')).toContainText('non-negative');
  await expect(rows.nth(0).getByTestId('price-error')).toHaveCount(0);
  await expect(price('Input', 'llama-3')).toHaveAttribute('aria-invalid', 'true');
  const unchanged = await (await request.get(`${base()}/api/llm-providers`, { headers: auth })).json();
  expect(Object.keys(unchanged.items[0].pricing)).toEqual(['qwen-2.5']);

  // Removing the bad row and saving keeps the first price.
  await dialog.getByRole('button', { name: 'Remove the price of llama-3' }).click();
  await dialog.getByRole('button', { name: 'Save prices' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Edit prices of gateway' })).toHaveText('1 model priced');
});
