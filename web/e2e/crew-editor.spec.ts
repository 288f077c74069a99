import { expect, test, type Page } from '@playwright/test';
import { base, crewYaml, signedIn } from './helpers';

const code = (page: Page) => page.locator('.cm-content');

test('create a crew from YAML, edit a task in the form, see the code change, validate inline, save, deploy, diff versions', async ({ page, request }) => {
  await signedIn(page, request);
  await page.goto(`${base()}/crews`);
  await expect(page.getByTestId('empty-state')).toContainText('No crews yet');
  await page.getByRole('button', { name: 'New crew' }).first().click();
  await page.getByLabel('Crew document (YAML)').fill('# Written by hand: this comment survives\n' + crewYaml('editor-crew', 2));
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page).toHaveURL(/\/crews\/[0-9a-f-]+$/);
  await expect(page.getByRole('heading', { name: 'editor-crew' })).toBeVisible();
  await expect(page.getByTestId('status-badge').first()).toHaveText('Draft');
  await expect(page.getByTestId('simulated-badge').first()).toBeVisible();

  // The code view shows the YAML as written, comments included.
  await page.getByRole('tab', { name: 'Agents' }).click();
  await expect(code(page)).toContainText('# Written by hand: this comment survives');

  // Agents form -> code (the comment stays).
  await page.getByRole('tab', { name: 'Agents' }).click();
  await page.getByLabel('Role').fill('{topic} Principal Analyst');
  await page.getByLabel('Tools').fill('calculator, web_fetch');
  await page.getByLabel('Tools').press('Enter');
  await expect(code(page)).toContainText('role: "{topic} Principal Analyst"');
  await expect(code(page)).toContainText('tools: [ calculator, web_fetch ]');
  await expect(code(page)).toContainText('# Written by hand: this comment survives');

  // Form -> code: the task description typed in the form appears in the code view.
  await page.getByRole('tab', { name: 'Tasks' }).click();
  await expect(code(page)).toContainText('Step 1 about {topic}');
  await page.getByLabel('Description').first().fill('Investigate {topic} in depth');
  await expect(code(page)).toContainText('description: Investigate {topic} in depth');
  await expect(page.getByText('Unsaved changes')).toBeVisible();
  await expect(page.getByTestId('validation-ok')).toBeVisible();

  // Code -> form: text typed in the editor updates the form field.
  await page.getByLabel('Description').nth(1).fill('Second step');
  await expect(code(page)).toContainText('description: Second step');

  await page.getByRole('button', { name: 'Save new version' }).click();
  await expect(page.getByTestId('toast-success').filter({ hasText: 'Saved as version 2' })).toBeVisible();

  // A validation error appears inline at the right line.
  const text = await page.evaluate(() => (document.querySelector('.cm-content') as HTMLElement).innerText);
  const lines = text.split('\n');
  const agentLine = lines.findLastIndex((l: string) => l.includes('agent: researcher')) + 1;
  await code(page).click();
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText(lines.map((l, i) => (i + 1 === agentLine ? l.replace('researcher', 'nobody') : l)).join('\n'));
  const diag = page.getByTestId('diagnostic').first();
  await expect(diag).toContainText('unknown agent "nobody"');
  await expect(diag).toHaveAttribute('data-line', String(agentLine));
  await expect(page.locator('.cm-lint-marker-error')).toBeVisible();
  // The form shows the same document: the task's agent select now holds the unknown agent.
  await expect(page.getByLabel('Agent').nth(1)).toHaveValue('nobody');
  await page.getByRole('button', { name: 'Discard changes' }).click();
  await expect(page.getByTestId('validation-ok')).toBeVisible();

  // YAML <-> JSON view of the same document.
  await page.getByRole('radio', { name: 'JSON' }).click();
  await expect(code(page)).toContainText('"description": "Investigate {topic} in depth"');
  await page.getByRole('radio', { name: 'YAML' }).click();

  // Deploy: status and run endpoint.
  await page.getByRole('button', { name: 'Deploy' }).click();
  await expect(page.getByTestId('toast-success').filter({ hasText: 'Deployed version 2' })).toBeVisible();
  await page.getByRole('tab', { name: 'Settings' }).click();
  await expect(page.getByTestId('deployment-status').first()).toHaveText('Deployed (version 2)');
  await expect(page.getByLabel('Run endpoint').first()).toHaveValue(/POST http:\/\/127\.0\.0\.1:\d+\/api\/crews\/[0-9a-f-]+\/run/);

  // Versions: diff v1 against v2.
  await page.getByLabel('A v1').check();
  await page.getByLabel('B v2').check();
  const diff = page.getByTestId('version-diff');
  await expect(diff.locator('.add').filter({ hasText: '+   description: Investigate {topic} in depth' })).toHaveCount(1);
  await expect(diff.locator('.del').filter({ hasText: '-   description: Step 1 about {topic}' })).toHaveCount(1);

  // Restore v1 as a new version (v3): the editor shows the restored document.
  await page.getByRole('row', { name: /^v1/ }).getByRole('button', { name: 'Restore' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByTestId('toast-success').filter({ hasText: 'Restored as version 3' })).toBeVisible();
  await page.getByRole('tab', { name: 'Tasks' }).click();
  await expect(code(page)).toContainText('description: Step 1 about {topic}');
  await expect(page.getByText('Unsaved changes')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Settings' }).click();

  // Environment variables: write-only values.
  await page.getByLabel('Variable name').fill('MY_TOKEN');
  await page.getByLabel('Value', { exact: true }).fill('s3cret-value');
  await page.getByRole('button', { name: 'Set variable' }).click();
  await expect(page.getByRole('cell', { name: 'MY_TOKEN', exact: true })).toBeVisible();
  await expect(page.getByText('s3cret-value')).toHaveCount(0);

  // Export the document as written.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'YAML', exact: true }).click()]);
  expect(download.suggestedFilename()).toBe('editor-crew.yaml');
  const { readFileSync } = await import('node:fs');
  const exported = readFileSync((await download.path())!, 'utf8');
  expect(exported).toContain('# Written by hand: this comment survives');
  expect(exported).toContain('Step 1 about {topic}'); // v3 restored v1's text

  // Stop the deployment.
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('deployment-status').first()).toHaveText('Not deployed');
});

test('crews list: search, status filter and delete with confirmation', async ({ page, request }) => {
  const user = await signedIn(page, request);
  for (const name of ['alpha-crew', 'beta-crew']) {
    const res = await request.post(`${base()}/api/crews`, { headers: { Authorization: `Bearer ${user.access_token}`, 'Content-Type': 'application/yaml' }, data: crewYaml(name) });
    expect(res.status()).toBe(201);
  }
  await page.goto(`${base()}/crews`);
  await expect(page.getByTestId('crew-card')).toHaveCount(2);
  await page.getByLabel('Search').fill('beta');
  await expect(page.getByTestId('crew-card')).toHaveCount(1);
  await expect(page.getByTestId('crew-card')).toContainText('beta-crew');
  await page.getByLabel('Search').fill('');
  await page.getByLabel('Filter by status').selectOption('deployed');
  await expect(page.getByTestId('empty-state')).toContainText('No crew matches');
  await page.getByLabel('Filter by status').selectOption('');
  await page.getByRole('button', { name: 'Delete alpha-crew' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByTestId('crew-card')).toHaveCount(1);
  await expect(page.getByTestId('crew-card')).toContainText('beta-crew');
});
