import { expect, test } from '@playwright/test';
import { base, registerUser } from './helpers';

test('register through the form, log out, log in and return to the page asked for', async ({ page }) => {
  const email = `reg-${Date.now()}@example.com`;
  await page.goto(`${base()}/register`);
  await page.getByLabel('Name').fill('Regina Tester');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a-good-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard', exact: true })).toBeVisible();
  await expect(page.getByTestId('profile-name')).toHaveText('Regina Tester');

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login/);

  // A protected page while logged out goes to login and comes back afterwards.
  await page.goto(`${base()}/executions`);
  await expect(page).toHaveURL(/\/login\?next=%2Fexecutions/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a-good-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/executions$/);
  await expect(page.getByRole('heading', { name: 'Executions', exact: true })).toBeVisible();
});

test('a wrong password shows the problem detail in a toast', async ({ page, request }) => {
  const user = await registerUser(request);
  await page.goto(`${base()}/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('toast-error')).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});

test('an expired access token is refreshed transparently; a dead session goes to login and back', async ({ page, request }) => {
  const user = await registerUser(request);
  await page.goto(`${base()}/login`);
  // A garbage access token with a valid refresh token: the API client refreshes and carries on.
  await page.evaluate((u) => localStorage.setItem('aop.session', JSON.stringify({ access_token: 'expired', refresh_token: u.refresh_token })), user);
  await page.goto(`${base()}/crews`);
  await expect(page.getByRole('heading', { name: 'Crews', exact: true })).toBeVisible();
  const rotated = await page.evaluate(() => JSON.parse(localStorage.getItem('aop.session')!).access_token);
  expect(rotated).not.toBe('expired');

  // Both tokens dead: 401 sends the user to login with the page to return to.
  await page.evaluate(() => localStorage.setItem('aop.session', JSON.stringify({ access_token: 'x', refresh_token: 'y' })));
  await page.goto(`${base()}/settings/apiKeys`);
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings%2FapiKeys/);
  await expect(page.getByRole('alert')).toContainText('session ended');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/settings\/apiKeys$/);
});
