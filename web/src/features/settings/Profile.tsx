// Profile: name and password.
import { type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api';
import { useAuth } from '../../app/auth';
import { useToast } from '../../components/Toast';

export default function Profile() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const toast = useToast();
  const qc = useQueryClient();
  async function saveName(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    try {
      await api('/api/auth/me', { method: 'PATCH', body: { name: String(new FormData(e.currentTarget).get('name')) } });
      await qc.invalidateQueries({ queryKey: ['me'] });
      toast.success(t('common.saved'));
    } catch (err) {
      toast.error(err);
    }
  }
  async function savePassword(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    try {
      await api('/api/auth/me', { method: 'PATCH', body: { password: String(f.get('new')), current_password: String(f.get('current')) } });
      form.reset();
      toast.success(t('settings.passwordChanged'));
    } catch (err) {
      toast.error(err);
    }
  }
  return (
    <div className="grid grid-2">
      <form className="card stack" onSubmit={saveName}>
        <h2>{t('settings.profile')}</h2>
        <div className="field"><label htmlFor="profile-email">{t('auth.email')}</label><input id="profile-email" value={user?.email ?? ''} readOnly /></div>
        <div className="field"><label htmlFor="profile-name">{t('auth.name')}</label><input id="profile-name" name="name" defaultValue={user?.name ?? ''} required maxLength={200} /></div>
        <div className="row end"><button className="btn btn-primary" type="submit">{t('common.save')}</button></div>
      </form>
      <form className="card stack" onSubmit={savePassword}>
        <h2>{t('settings.changePassword')}</h2>
        <div className="field"><label htmlFor="pw-current">{t('settings.currentPassword')}</label><input id="pw-current" name="current" type="password" required autoComplete="current-password" /></div>
        <div className="field"><label htmlFor="pw-new">{t('settings.newPassword')}</label><input id="pw-new" name="new" type="password" required minLength={8} autoComplete="new-password" /></div>
        <div className="row end"><button className="btn" type="submit">{t('settings.changePassword')}</button></div>
      </form>
    </div>
  );
}
