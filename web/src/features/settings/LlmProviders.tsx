// LLM connections (/api/llm-providers): list, add, enable/disable, per-model prices, delete. Keys are write-only.
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api';
import type { LlmProvider, Page } from '../../lib/types';
import { ConfirmDialog, EmptyState, SimulatedBadge, Skeleton } from '../../components/ui';
import { useToast } from '../../components/Toast';
import PricingEditor from './PricingEditor';

export default function LlmProviders() {
  const { t } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['llm-providers'], queryFn: () => api<Page<LlmProvider>>('/api/llm-providers') });
  const [deleting, setDeleting] = useState<LlmProvider | null>(null);
  const [pricing, setPricing] = useState<LlmProvider | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['llm-providers'] });

  async function add(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const s = (k: string) => String(f.get(k) ?? '').trim() || undefined;
    try {
      await api('/api/llm-providers', {
        body: { name: s('name'), provider: s('provider'), base_url: s('base_url'), api_key: s('api_key'), default_model: s('default_model'),
          models: (s('models') ?? '').split(',').map((x) => x.trim()).filter(Boolean) },
      });
      form.reset();
      void refresh();
    } catch (err) {
      toast.error(err);
    }
  }

  return (
    <div className="stack">
      <p className="notice row"><SimulatedBadge /> {t('settings.simulatedNote')}</p>
      <section className="card">
        <h2>{t('settings.providers')}</h2>
        {list.isPending ? <Skeleton lines={3} /> : !list.data?.items.length ? <EmptyState title={t('settings.noProviders')} /> : (
          <table>
            <thead><tr><th>{t('common.name')}</th><th>{t('settings.provider')}</th><th>{t('settings.baseUrl')}</th><th>{t('settings.defaultModel')}</th><th>{t('settings.prices')}</th><th>{t('settings.enabled')}</th><th><span className="sr-only">{t('common.actions')}</span></th></tr></thead>
            <tbody>
              {list.data.items.map((p) => (
                <tr key={p.id}>
                  <td>{p.name} {p.has_api_key && <span className="badge badge-neutral">{t('settings.hasKey')}</span>}</td>
                  <td>{p.provider}</td>
                  <td className="mono">{p.base_url ?? '—'}</td>
                  <td className="mono">{p.default_model ?? '—'}</td>
                  <td>
                    <button className="btn btn-sm" aria-label={t('settings.editPricesOf', { name: p.name })} onClick={() => setPricing(p)}>
                      {t('settings.pricedModels', { count: Object.keys(p.pricing ?? {}).length })}
                    </button>
                  </td>
                  <td><input type="checkbox" checked={p.is_enabled} aria-label={`${t('settings.enabled')} ${p.name}`}
                    onChange={async (e) => { try { await api(`/api/llm-providers/${p.id}`, { method: 'PUT', body: { is_enabled: e.target.checked } }); void refresh(); } catch (err) { toast.error(err); } }} /></td>
                  <td className="num"><button className="btn btn-sm btn-ghost" onClick={() => setDeleting(p)}>{t('common.delete')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <form className="card stack" onSubmit={add}>
        <h2>{t('settings.addProvider')}</h2>
        <div className="field-row">
          <div className="field"><label htmlFor="llm-name">{t('common.name')}</label><input id="llm-name" name="name" required /></div>
          <div className="field"><label htmlFor="llm-provider">{t('settings.provider')}</label>
            <select id="llm-provider" name="provider">{['openai', 'anthropic', 'ollama', 'openai_compatible'].map((p) => <option key={p}>{p}</option>)}</select></div>
          <div className="field"><label htmlFor="llm-base">{t('settings.baseUrl')}</label><input id="llm-base" name="base_url" type="url" placeholder={t('common.optional')} /></div>
          <div className="field"><label htmlFor="llm-key">{t('settings.apiKey')}</label><input id="llm-key" name="api_key" type="password" autoComplete="off" /></div>
          <div className="field"><label htmlFor="llm-default">{t('settings.defaultModel')}</label><input id="llm-default" name="default_model" /></div>
          <div className="field"><label htmlFor="llm-models">{t('settings.models')}</label><input id="llm-models" name="models" /></div>
        </div>
        <div className="row end"><button className="btn btn-primary" type="submit">{t('settings.addProvider')}</button></div>
      </form>
      {pricing && <PricingEditor provider={pricing} onClose={() => setPricing(null)} onSaved={() => void refresh()} />}
      {deleting && (
        <ConfirmDialog title={t('common.delete')} text={t('settings.deleteProvider', { name: deleting.name })} confirmLabel={t('common.delete')} danger onClose={() => setDeleting(null)}
          onConfirm={async () => { try { await api(`/api/llm-providers/${deleting.id}`, { method: 'DELETE' }); void refresh(); } catch (err) { toast.error(err); } }} />
      )}
    </div>
  );
}
