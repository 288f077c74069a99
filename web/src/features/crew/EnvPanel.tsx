// Crew environment variables and secrets: names listed, values write-only.
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api';
import { fmtDate } from '../../lib/format';
import type { EnvVariable, Page } from '../../lib/types';
import { ConfirmDialog, Skeleton } from '../../components/ui';
import { useToast } from '../../components/Toast';

export default function EnvPanel({ crewId }: { crewId: string }) {
  const { t } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const key = ['crew', crewId, 'env'];
  const env = useQuery({ queryKey: key, queryFn: () => api<Page<EnvVariable>>(`/api/crews/${crewId}/env`) });
  const [deleting, setDeleting] = useState<string | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    try {
      await api(`/api/crews/${crewId}/env`, { method: 'PUT', body: { name: String(f.get('name')), value: String(f.get('value')) } });
      form.reset();
      toast.success(t('common.saved'));
      void qc.invalidateQueries({ queryKey: key });
    } catch (err) {
      toast.error(err);
    }
  }

  return (
    <section className="card stack">
      <h2>{t('crew.envTitle')}</h2>
      <p className="muted" style={{ margin: 0 }}>{t('crew.envHint')}</p>
      {env.isPending ? <Skeleton lines={3} /> : env.isError ? <p className="diag-error">{String(env.error.message)}</p> : env.data.items.length === 0 ? (
        <p className="muted">{t('crew.envEmpty')}</p>
      ) : (
        <table>
          <thead><tr><th>{t('common.name')}</th><th>{t('common.updated')}</th><th /></tr></thead>
          <tbody>
            {env.data.items.map((v) => (
              <tr key={v.name}>
                <td className="mono">{v.name}</td>
                <td>{fmtDate(v.updated_at)}</td>
                <td className="num"><button className="btn btn-sm btn-ghost" onClick={() => setDeleting(v.name)} aria-label={`${t('common.delete')} ${v.name}`}>{t('common.delete')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="filters" onSubmit={submit}>
        <div className="field"><label htmlFor="env-name">{t('crew.envName')}</label><input id="env-name" name="name" required pattern="[A-Za-z_][A-Za-z0-9_]*" className="mono" /></div>
        <div className="field" style={{ flex: 1 }}><label htmlFor="env-value">{t('crew.envValue')}</label><input id="env-value" name="value" type="password" autoComplete="off" /></div>
        <button className="btn" type="submit">{t('crew.envSet')}</button>
      </form>
      {deleting && (
        <ConfirmDialog title={t('common.delete')} text={deleting} confirmLabel={t('common.delete')} danger onClose={() => setDeleting(null)}
          onConfirm={async () => {
            try {
              await api(`/api/crews/${crewId}/env/${deleting}`, { method: 'DELETE' });
              void qc.invalidateQueries({ queryKey: key });
            } catch (err) {
              toast.error(err);
            }
          }} />
      )}
    </section>
  );
}
