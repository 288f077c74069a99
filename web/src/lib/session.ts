// The signed-in session (tokens) and the active team, kept in localStorage.
export interface Session {
  access_token: string;
  refresh_token: string;
}

const SESSION_KEY = 'aop.session';
const TEAM_KEY = 'aop.team';

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null) {
  if (s) localStorage.setItem(SESSION_KEY, JSON.stringify(s));
  else localStorage.removeItem(SESSION_KEY);
}

export function activeTeam(): string | null {
  return localStorage.getItem(TEAM_KEY);
}

export function setActiveTeam(id: string | null) {
  if (id) localStorage.setItem(TEAM_KEY, id);
  else localStorage.removeItem(TEAM_KEY);
}
