// API keys: create with scopes, rate limit and expiry; the secret is shown once; revoke; regenerate.
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api';
import { fmtDate } from '../../lib/format';
import type { ApiKey, IssuedApiKey, Page } from '../../lib/types';
import { ConfirmDialog, CopyButton, EmptyState, Modal, Skeleton } from '../../components/ui';
import { useToast } from '../../components/Toast';

const SCOPES = ['crews:read', 'crews:write', 'crews:run', 'executions:read', 'executions:write', 'teams:read'];

export default function ApiKeys() {
  const { t } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => api<Page<ApiKey>>('/api/api-keys?limit=200') });
  const [issued, setIssued] = useState<IssuedApiKey | null>(null);
  const [confirm, setConfirm] = useState<{ key: ApiKey; action: 'revoke' | 'regenerate' } | null>(null);

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const permissions = f.getAll('scope').map(String);
    const rate = String(f.get('rate') ?? '');
    const expires = String(f.get('expires') ?? '');
    try {
      const k = await api<IssuedApiKey>('/api/api-keys', {
        body: { name: String(f.get('name')), permissions, rate_limit: rate ? Number(rate) : undefined, expires_at: expires ? new Date(expires).toISOString() : undefined },
      });
      setIssued(k);
      form.reset();
      void qc.invalidateQueries({ queryKey: ['api-keys'] });
    } catch (err) {
      toast.error(err);
    }
  }

  async function act(key: ApiKey, action: 'revoke' | 'regenerate') {
    try {
      if (action === 'revoke') await api(`/api/api-keys/${key.id}`, { method: 'DELETE' });
      else setIssued(await api<IssuedApiKey>(`/api/api-keys/${key.id}/regenerate`, { method: 'POST' }));
      void qc.invalidateQueries({ queryKey: ['api-keys'] });
    } catch (err) {
      toast.error(err);
    }
  }

  return (
    <div className="stack">
      <form className="card stack" onSubmit={create}>
        <h2>{t('settings.createKey')}</h2>
        <div className="field-row">
          <div className="field"><label htmlFor="key-name">{t('settings.keyName')}</label><input id="key-name" name="name" required maxLength={100} /></div>
          <div className="field"><label htmlFor="key-rate">{t('settings.rateLimit')}</label><input id="key-rate" name="rate" type="number" min={1} placeholder={t('common.optional')} /></div>
          <div className="field"><label htmlFor="key-expires">{t('settings.expires')}</label><input id="key-expires" name="expires" type="date" /></div>
        </div>
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend><strong>{t('settings.scopes')}</strong></legend>
          <div className="row">
            {SCOPES.map((s) => <label key={s} className="check mono"><input type="checkbox" name="scope" value={s} defaultChecked={s.endsWith(':read')} />{s}</label>)}
          </div>
        </fieldset>
        <div className="row end"><button className="btn btn-primary" type="submit">{t('settings.createKey')}</button></div>
      </form>
      <section className="card">
        <h2>{t('settings.apiKeys')}</h2>
        {keys.isPending ? <Skeleton lines={3} /> : !keys.data?.items.length ? <EmptyState title={t('settings.noKeys')} /> : (
          <div className="table-wrap">
            <table data-testid="api-keys">
              <thead><tr><th>{t('common.name')}</th><th>{t('settings.prefix')}</th><th>{t('settings.scopes')}</th><th>{t('settings.expires')}</th><th>{t('settings.lastUsed')}</th><th /></tr></thead>
              <tbody>
                {keys.data.items.map((k) => (
                  <tr key={k.id}>
                    <td>{k.name}</td>
                    <td className="mono">{k.prefix}</td>
                    <td className="mono" style={{ fontSize: 12 }}>{k.permissions.join(' ')}</td>
                    <td>{k.expires_at ? fmtDate(k.expires_at) : t('common.never')}</td>
                    <td>{k.last_used_at ? fmtDate(k.last_used_at) : t('common.never')}</td>
                    <td className="num">
                      <div className="row end">
                        <button className="btn btn-sm" onClick={() => setConfirm({ key: k, action: 'regenerate' })}>{t('settings.regenerate')}</button>
                        <button className="btn btn-sm btn-danger" onClick={() => setConfirm({ key: k, action: 'revoke' })}>{t('settings.revoke')}</button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {issued && (
        <Modal title={issued.name} onClose={() => setIssued(null)}>
          <p className="notice">{t('settings.keyCreated')}</p>
          <div className="row">
            <input className="mono" readOnly value={issued.key} aria-label={t('settings.apiKey')} data-testid="issued-key" style={{ flex: 1 }} onFocus={(e) => e.currentTarget.select()} />
            <CopyButton text={issued.key} />
          </div>
          <div className="row end"><button className="btn btn-primary" onClick={() => setIssued(null)}>{t('common.close')}</button></div>
        </Modal>
      )}
      {confirm && (
        <ConfirmDialog title={t(`settings.${confirm.action}`)} danger
          text={t(confirm.action === 'revoke' ? 'settings.revokeConfirm' : 'settings.regenerateConfirm', { name: confirm.key.name })}
          confirmLabel={t(`settings.${confirm.action}`)} onConfirm={() => void act(confirm.key, confirm.action)} onClose={() => setConfirm(null)} />
      )}
    </div>
  );
}
