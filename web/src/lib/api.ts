// fetch wrapper: bearer token, active team header, transparent refresh, problem+json errors.
import { activeTeam, loadSession, saveSession, type Session } from './session';

export interface ProblemError {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: ProblemError[];
}

export class ApiError extends Error {
  constructor(public status: number, public problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
  }
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler = () => {};
export function setUnauthorizedHandler(h: UnauthorizedHandler) {
  onUnauthorized = h;
}

let refreshing: Promise<boolean> | null = null;

async function refreshTokens(): Promise<boolean> {
  const s = loadSession();
  if (!s) return false;
  refreshing ??= (async () => {
    try {
      const res = await fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: s.refresh_token }),
      });
      if (!res.ok) return false;
      const body = await res.json();
      saveSession({ access_token: body.access_token, refresh_token: body.refresh_token });
      return true;
    } catch {
      return false;
    } finally {
      setTimeout(() => (refreshing = null), 0);
    }
  })();
  return refreshing;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Send body as raw text with this content type (e.g. application/yaml). */
  contentType?: string;
  headers?: Record<string, string>;
  /** Do not redirect to login on 401 (login form, probes). */
  noAuthRedirect?: boolean;
}

async function send(path: string, opts: RequestOptions, session: Session | null) {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (session) headers.Authorization = `Bearer ${session.access_token}`;
  const team = activeTeam();
  if (team && !headers['X-Team-Id']) headers['X-Team-Id'] = team;
  let body: BodyInit | undefined;
  if (opts.body !== undefined) {
    if (opts.contentType) {
      headers['Content-Type'] = opts.contentType;
      body = opts.body as string;
    } else {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
  }
  return fetch(path, { method: opts.method ?? (body ? 'POST' : 'GET'), headers, body });
}

async function toError(res: Response): Promise<ApiError> {
  let problem: Problem = { status: res.status, title: res.statusText };
  try {
    const text = await res.text();
    if (text) problem = { status: res.status, ...JSON.parse(text) };
  } catch {
    /* not JSON */
  }
  return new ApiError(res.status, problem);
}

/** Raw response after auth handling (for ETag, status checks). */
export async function apiResponse(path: string, opts: RequestOptions = {}): Promise<Response> {
  let res = await send(path, opts, loadSession());
  if (res.status === 401 && loadSession() && !path.startsWith('/api/auth/login')) {
    if (await refreshTokens()) res = await send(path, opts, loadSession());
    if (res.status === 401) {
      saveSession(null);
      sessionStorage.setItem('aop.expired', '1');
      if (!opts.noAuthRedirect) onUnauthorized();
    }
  }
  if (!res.ok) throw await toError(res);
  return res;
}

export async function api<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await apiResponse(path, opts);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** GET that answers null when the endpoint does not exist (404/405) — for optional endpoints. */
export async function apiOptional<T>(path: string): Promise<T | null> {
  try {
    return await api<T>(path);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405 || e.status === 501)) return null;
    throw e;
  }
}

export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
