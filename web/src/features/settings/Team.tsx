// Team and members (owners manage members).
import { type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api';
import { activeTeam } from '../../lib/session';
import { fmtDate } from '../../lib/format';
import { useAuth } from '../../app/auth';
import type { Page } from '../../lib/types';
import { Skeleton } from '../../components/ui';
import { useToast } from '../../components/Toast';

interface Member { user_id: string; email: string; name: string; role: 'owner' | 'member'; joined_at: string }

export default function Team() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const toast = useToast();
  const qc = useQueryClient();
  const teamId = activeTeam() ?? user?.teams?.[0]?.id ?? '';
  const team = user?.teams?.find((x) => x.id === teamId);
  const canManage = team?.role === 'owner' || user?.role === 'admin';
  const members = useQuery({ queryKey: ['team', teamId, 'members'], queryFn: () => api<Page<Member>>(`/api/teams/${teamId}/members?limit=200`), enabled: !!teamId });

  async function add(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    try {
      await api(`/api/teams/${teamId}/members`, { body: { email: String(f.get('email')), role: String(f.get('role')) } });
      form.reset();
      void qc.invalidateQueries({ queryKey: ['team', teamId] });
    } catch (err) {
      toast.error(err);
    }
  }
  async function removeMember(m: Member) {
    try {
      await api(`/api/teams/${teamId}/members/${m.user_id}`, { method: 'DELETE' });
      void qc.invalidateQueries({ queryKey: ['team', teamId] });
    } catch (err) {
      toast.error(err);
    }
  }
  async function rename(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    try {
      await api(`/api/teams/${teamId}`, { method: 'PUT', body: { name: String(new FormData(e.currentTarget).get('team')) } });
      void qc.invalidateQueries({ queryKey: ['me'] });
      toast.success(t('common.saved'));
    } catch (err) {
      toast.error(err);
    }
  }

  return (
    <div className="stack">
      <form className="card stack" onSubmit={rename}>
        <h2>{t('settings.team')}</h2>
        <div className="row">
          <div className="field" style={{ flex: 1 }}><label htmlFor="team-name">{t('settings.teamName')}</label><input id="team-name" name="team" defaultValue={team?.name} disabled={!canManage} required /></div>
          <button className="btn" type="submit" disabled={!canManage} style={{ alignSelf: 'flex-end' }}>{t('common.save')}</button>
        </div>
      </form>
      <section className="card stack">
        <h2>{t('settings.members')}</h2>
        {!canManage && <p className="muted">{t('settings.ownersOnly')}</p>}
        {members.isPending ? <Skeleton lines={3} /> : (
          <table>
            <thead><tr><th>{t('common.name')}</th><th>{t('auth.email')}</th><th>{t('settings.role')}</th><th>{t('common.created')}</th><th /></tr></thead>
            <tbody>
              {(members.data?.items ?? []).map((m) => (
                <tr key={m.user_id}>
                  <td>{m.name}</td><td>{m.email}</td><td>{t(`settings.${m.role}`)}</td><td>{fmtDate(m.joined_at)}</td>
                  <td className="num">{canManage && m.user_id !== user?.id && <button className="btn btn-sm btn-ghost" onClick={() => void removeMember(m)}>{t('settings.removeMember', { name: m.name || m.email })}</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {canManage && (
          <form className="filters" onSubmit={add}>
            <div className="field" style={{ flex: 1 }}><label htmlFor="member-email">{t('settings.memberEmail')}</label><input id="member-email" name="email" type="email" required /></div>
            <div className="field"><label htmlFor="member-role">{t('settings.role')}</label>
              <select id="member-role" name="role"><option value="member">{t('settings.member')}</option><option value="owner">{t('settings.owner')}</option></select></div>
            <button className="btn" type="submit">{t('settings.addMember')}</button>
          </form>
        )}
      </section>
    </div>
  );
}
