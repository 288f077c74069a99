// The shell: sidebar (logo, team selector, navigation, profile) and the main area.
import { Suspense, useState } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { activeTeam, setActiveTeam } from '../lib/session';
import { Logo, Skeleton } from '../components/ui';
import { useAuth } from './auth';

const links = [
  { to: '/', key: 'nav.dashboard', icon: '▦', end: true },
  { to: '/crews', key: 'nav.crews', icon: '◎' },
  { to: '/executions', key: 'nav.executions', icon: '▶' },
  { to: '/settings', key: 'nav.settings', icon: '⚙' },
];

export default function Layout() {
  const { t } = useTranslation();
  const { user, logout } = useAuth();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [team, setTeam] = useState(activeTeam() ?? user?.teams?.[0]?.id ?? '');
  const [open, setOpen] = useState(false);

  return (
    <div className={`shell ${open ? 'nav-open' : ''}`}>
      <a className="skip" href="#main">{t('app.skip')}</a>
      <aside className="sidebar" aria-label={t('nav.menu')}>
        <Logo />
        {user?.teams && user.teams.length > 0 && (
          <div className="field team-select">
            <label htmlFor="team-select">{t('nav.team')}</label>
            <select
              id="team-select"
              value={team}
              onChange={(e) => {
                setTeam(e.target.value);
                setActiveTeam(e.target.value);
                void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
              }}
            >
              {user.teams.map((tm) => (
                <option key={tm.id} value={tm.id}>{tm.name}</option>
              ))}
            </select>
          </div>
        )}
        <nav>
          {links.map((l) => (
            <NavLink key={l.to} to={l.to} end={l.end} className="nav-link" onClick={() => setOpen(false)}>
              <span aria-hidden className="nav-icon">{l.icon}</span>
              {t(l.key)}
            </NavLink>
          ))}
        </nav>
        <div className="profile">
          <NavLink to="/settings/profile" className="profile-link" aria-label={t('nav.profile')}>
            <span className="avatar" aria-hidden>{(user?.name || user?.email || '?').slice(0, 1).toUpperCase()}</span>
            <span className="profile-text">
              <strong data-testid="profile-name">{user?.name || user?.email}</strong>
              <small className="muted">{user?.email}</small>
            </span>
          </NavLink>
          <button
            className="btn btn-sm btn-ghost"
            onClick={async () => {
              await logout();
              navigate('/login');
            }}
          >
            {t('nav.logout')}
          </button>
        </div>
      </aside>
      <button className="menu-btn icon-btn" aria-label={t('nav.menu')} aria-expanded={open} onClick={() => setOpen(!open)}>☰</button>
      <main id="main" className="main" tabIndex={-1}>
        <Suspense fallback={<div className="page"><Skeleton lines={8} /></div>}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
