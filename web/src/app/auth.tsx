// The signed-in user: login/register/logout, /api/auth/me, saved theme and language.
import { createContext, useCallback, useContext, useEffect, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../lib/api';
import { activeTeam, loadSession, saveSession, setActiveTeam } from '../lib/session';
import { setLanguage } from '../lib/i18n';
import { setTheme } from '../lib/theme';
import type { User } from '../lib/types';

interface AuthApi {
  user: User | null | undefined; // undefined while loading
  login(email: string, password: string): Promise<void>;
  register(email: string, password: string, name: string): Promise<void>;
  logout(): Promise<void>;
  updateSettings(s: Partial<User['settings']>): Promise<void>;
}

const Ctx = createContext<AuthApi | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const me = useQuery({
    queryKey: ['me'],
    queryFn: () => (loadSession() ? api<User>('/api/auth/me') : Promise.resolve(null)),
    staleTime: 60_000,
  });
  const user = me.isPending ? undefined : (me.data ?? null);

  // Apply the user's saved preferences whenever they load.
  useEffect(() => {
    if (!user) return;
    if (user.settings?.theme) setTheme(user.settings.theme);
    if (user.settings?.language) setLanguage(user.settings.language);
    const teams = user.teams ?? [];
    if (teams.length && !teams.some((t) => t.id === activeTeam())) setActiveTeam(teams[0].id);
  }, [user]);

  const startSession = useCallback(
    async (body: { access_token: string; refresh_token: string }) => {
      saveSession({ access_token: body.access_token, refresh_token: body.refresh_token });
      setActiveTeam(null);
      sessionStorage.removeItem('aop.expired');
      const me = await api<User>('/api/auth/me');
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      qc.setQueryData(['me'], me);
    },
    [qc],
  );

  const value: AuthApi = {
    user,
    login: async (email, password) =>
      startSession(await api('/api/auth/login', { body: { email, password }, noAuthRedirect: true })),
    register: async (email, password, name) =>
      startSession(await api('/api/auth/register', { body: { email, password, name: name || undefined }, noAuthRedirect: true })),
    logout: async () => {
      const s = loadSession();
      try {
        if (s) await api('/api/auth/logout', { body: { refresh_token: s.refresh_token }, noAuthRedirect: true });
      } catch {
        /* the session is dropped locally anyway */
      }
      saveSession(null);
      qc.setQueryData(['me'], null);
    },
    updateSettings: async (settings) => {
      const next = await api<User>('/api/auth/me', { method: 'PATCH', body: { settings } });
      qc.setQueryData(['me'], (old: User | null | undefined) => (old ? { ...old, ...next, teams: old.teams } : next));
    },
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): AuthApi {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}
