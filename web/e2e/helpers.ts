// Shared E2E helpers: users and crews through the API, a signed-in page, screenshots.
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const base = () => process.env.AOP_E2E_BASE!;
let counter = 0;

export interface TestUser { email: string; password: string; access_token: string; refresh_token: string; }

export async function registerUser(request: APIRequestContext, name = 'E2E User'): Promise<TestUser> {
  const email = `e2e-${Date.now()}-${counter++}@example.com`;
  const password = 'correct-horse-battery';
  const res = await request.post(`${base()}/api/auth/register`, { data: { email, password, name } });
  expect(res.status()).toBe(201);
  const body = await res.json();
  return { email, password, access_token: body.access_token, refresh_token: body.refresh_token };
}

/** Opens the app already signed in as a fresh user (tokens placed in localStorage). */
export async function signedIn(page: Page, request: APIRequestContext, opts: { lang?: string; theme?: string } = {}): Promise<TestUser> {
  const user = await registerUser(request);
  await page.goto(`${base()}/login`);
  await page.evaluate(({ u, o }) => {
    localStorage.setItem('aop.session', JSON.stringify({ access_token: u.access_token, refresh_token: u.refresh_token }));
    localStorage.setItem('aop.lang', o.lang ?? 'en');
    localStorage.setItem('aop.theme', o.theme ?? 'light');
  }, { u: user, o: opts });
  return user;
}

export function crewYaml(name: string, tasks = 2): string {
  let y = `name: ${name}\ndescription: E2E crew\ninputs:\n  topic: {type: string, required: true, description: Subject}\nagents:\n  researcher:\n    role: "{topic} Researcher"\n    goal: Learn about {topic}\n    backstory: Careful.\n    llm: simulated/default\ntasks:\n`;
  for (let i = 1; i <= tasks; i++) y += `  step_${i}:\n    description: Step ${i} about {topic}\n    expected_output: A short note\n    agent: researcher\n`;
  return y;
}

export async function createCrew(request: APIRequestContext, user: TestUser, name: string, tasks = 2): Promise<{ id: string }> {
  const res = await request.post(`${base()}/api/crews`, {
    headers: { Authorization: `Bearer ${user.access_token}`, 'Content-Type': 'application/yaml' },
    data: crewYaml(name, tasks),
  });
  expect(res.status()).toBe(201);
  return res.json();
}

export const shotDir = fileURLToPath(new URL('../../tests/e2e/output/screenshots', import.meta.url));

export async function screenshot(page: Page, name: string) {
  mkdirSync(shotDir, { recursive: true });
  await page.screenshot({ path: join(shotDir, `${name}.png`), fullPage: false });
}
