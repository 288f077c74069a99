// Every control on the main pages has an accessible name, and the shell works from the keyboard.
import { expect, test, type Page } from '@playwright/test';
import { base, createCrew, signedIn } from './helpers';

async function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('input, select, textarea, button, [role=tab], [role=treeitem] > [tabindex]'))) {
      if ((el as HTMLInputElement).type === 'hidden' || el.closest('[aria-hidden=true]')) continue;
      const id = el.id;
      const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (id && document.querySelector(`label[for="${id}"]`))
        || el.closest('label') || (el.tagName === 'BUTTON' || el.getAttribute('role') === 'tab' || el.tabIndex === 0 ? el.textContent?.trim() : '');
      if (!named) bad.push(el.outerHTML.slice(0, 120));
    }
    return bad;
  });
}

test('controls are labelled on every main page; tabs and the skip link work from the keyboard', async ({ page, request }) => {
  const user = await signedIn(page, request);
  const crew = await createCrew(request, user, 'a11y-crew', 2);
  const run = await request.post(`${base()}/api/crews/${crew.id}/run`, { headers: { Authorization: `Bearer ${user.access_token}` }, data: { inputs: { topic: 'x' } } });
  const { execution_id } = await run.json();

  const pages = ['/', '/crews', '/crews?new=1', `/crews/${crew.id}/agents`, `/crews/${crew.id}/tasks`, `/crews/${crew.id}/settings`, '/executions',
    `/executions/${execution_id}`, '/settings/profile', '/settings/appearance', '/settings/apiKeys', '/settings/team', '/settings/llm'];
  for (const path of pages) {
    await page.goto(`${base()}${path}`);
    await expect(page.locator('h1').first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(await unlabelled(page), `unlabelled controls on ${path}`).toEqual([]);
  }

  // The prices dialog of an LLM connection (a table of inputs) too.
  await request.post(`${base()}/api/llm-providers`, { headers: { Authorization: `Bearer ${user.access_token}` }, data: {
    name: 'priced', provider: 'openai_compatible', base_url: 'http://127.0.0.1:9/v1', models: [], pricing: { small: { input: 1, output: 2 } } } });
  await page.goto(`${base()}/settings/llm`);
  await page.getByRole('button', { name: 'Edit prices of priced' }).click();
  await page.getByRole('button', { name: 'Add model' }).click();
  await expect(page.getByTestId('price-row')).toHaveCount(2);
  expect(await unlabelled(page), 'unlabelled controls in the prices dialog').toEqual([]);

  // The check itself catches an unlabelled control.
  await page.evaluate(() => document.querySelector('main')!.append(Object.assign(document.createElement('input'), { id: 'no-label' })));
  expect(await unlabelled(page)).toHaveLength(1);

  // Skip link, then tabs with the arrow keys.
  await page.goto(`${base()}/crews/${crew.id}`);
  await expect(page.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.getByRole('tab', { name: 'Overview' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Agents' })).toBeFocused();
  await expect(page).toHaveURL(/\/agents$/);
  // Escape closes a dialog.
  await page.getByRole('button', { name: '▶ Run' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});
