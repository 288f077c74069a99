// Starts `aop serve` (AOP_BIN, default ../build/release/aop) on a free port with a temporary
// data directory and SQLite database, serving the built UI (web/dist); stops it afterwards.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export default async function globalSetup() {
  const web = fileURLToPath(new URL('..', import.meta.url));
  const bin = resolve(process.env.AOP_BIN ?? join(web, '../build/release/aop'));
  if (!existsSync(bin)) throw new Error(`aop binary not found: ${bin} (set AOP_BIN)`);
  if (!existsSync(join(web, 'dist/index.html'))) throw new Error('web/dist is not built: run `npm run build` in web/');
  const data = mkdtempSync(join(tmpdir(), 'aop-e2e-'));
  const portFile = join(data, 'port');
  const server = spawn(bin, ['serve'], {
    env: {
      ...process.env,
      AOP_DATA_DIR: data,
      AOP_HOST: '127.0.0.1',
      AOP_PORT: '0',
      AOP_PORT_FILE: portFile,
      AOP_WEB_DIR: join(web, 'dist'),
      AOP_SWAGGER_DIR: join(web, 'node_modules/swagger-ui-dist'),
      AOP_ALLOW_SIGNUP: 'true',
      AOP_SIMULATED_LATENCY_MS: process.env.AOP_E2E_LATENCY_MS ?? '400',
      AOP_USER_RATE_LIMIT: '0',
      AOP_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 15_000;
  while (!existsSync(portFile) || !readFileSync(portFile, 'utf8').trim()) {
    if (server.exitCode !== null) throw new Error(`aop serve exited with ${server.exitCode}`);
    if (Date.now() > deadline) throw new Error('aop serve did not start in 15 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  const base = `http://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`;
  process.env.AOP_E2E_BASE = base;
  return async () => {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(data, { recursive: true, force: true });
  };
}
