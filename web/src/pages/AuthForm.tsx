// Shared layout of the login and registration pages.
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../app/auth';
import { useToast } from '../components/Toast';
import { Logo } from '../components/ui';

export default function AuthForm({ mode }: { mode: 'login' | 'register' }) {
  const { t } = useTranslation();
  const { user, login, register } = useAuth();
  const toast = useToast();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [busy, setBusy] = useState(false);
  const next = params.get('next') || '/';
  const safeNext = next.startsWith('/') && !next.startsWith('//') ? next : '/';

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    try {
      if (mode === 'login') await login(String(f.get('email')), String(f.get('password')));
      else await register(String(f.get('email')), String(f.get('password')), String(f.get('name') ?? ''));
      navigate(safeNext, { replace: true });
    } catch (err) {
      toast.error(err);
    } finally {
      setBusy(false);
    }
  }

  if (user && !busy) return <Navigate to={safeNext} replace />;
  return (
    <div className="auth-page">
      <form className="card auth-card" onSubmit={submit}>
        <Logo />
        <h1>{mode === 'login' ? t('auth.loginTitle') : t('auth.registerTitle')}</h1>
        {(params.get('expired') || sessionStorage.getItem('aop.expired')) && <p className="notice" role="alert">{t('auth.sessionExpired')}</p>}
        {mode === 'register' && (
          <div className="field">
            <label htmlFor="name">{t('auth.name')}</label>
            <input id="name" name="name" autoComplete="name" />
          </div>
        )}
        <div className="field">
          <label htmlFor="email">{t('auth.email')}</label>
          <input id="email" name="email" type="email" required autoComplete="email" />
        </div>
        <div className="field">
          <label htmlFor="password">{t('auth.password')}</label>
          <input id="password" name="password" type="password" required minLength={mode === 'register' ? 8 : undefined}
            autoComplete={mode === 'login' ? 'current-password' : 'new-password'} />
          {mode === 'register' && <small className="muted">{t('auth.passwordHint')}</small>}
        </div>
        <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
          {mode === 'login' ? t('auth.login') : t('auth.register')}
        </button>
        <p className="muted center">
          {mode === 'login' ? (
            <>{t('auth.noAccount')} <Link to={`/register?next=${encodeURIComponent(next)}`}>{t('auth.register')}</Link></>
          ) : (
            <>{t('auth.haveAccount')} <Link to={`/login?next=${encodeURIComponent(next)}`}>{t('auth.login')}</Link></>
          )}
        </p>
      </form>
    </div>
  );
}
