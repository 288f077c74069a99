// Dialog editing one LLM connection's per-model prices (USD per million tokens); PUT replaces
// the whole `pricing` object, and the server's errors are shown at the row they name.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../lib/api';
import type { LlmProvider } from '../../lib/types';
import { Modal } from '../../components/ui';
import { useToast } from '../../components/Toast';
import { blankRow, localProblems, pricingFromRows, rowsFromPricing, serverErrorsByRow, type PriceRow } from './pricing';

const PRICE_FIELDS = [['input', 'priceInput'], ['output', 'priceOutput'], ['cached', 'priceCached']] as const;

export default function PricingEditor({ provider, onClose, onSaved }: { provider: LlmProvider; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [rows, setRows] = useState<PriceRow[]>(() => {
    const r = rowsFromPricing(provider.pricing);
    return r.length ? r : [blankRow()];
  });
  const [serverErrors, setServerErrors] = useState<{ byRow: Map<number, string>; other: string[] }>({ byRow: new Map(), other: [] });
  const [checked, setChecked] = useState(false);
  const [saving, setSaving] = useState(false);
  const local = localProblems(rows);
  const edit = (key: number, patch: Partial<PriceRow>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  async function save(e: FormEvent) {
    e.preventDefault();
    setChecked(true);
    if (local.size) return;
    setSaving(true);
    try {
      await api(`/api/llm-providers/${provider.id}`, { method: 'PUT', body: { pricing: pricingFromRows(rows) } });
      toast.success(t('settings.pricesSaved', { name: provider.name }));
      onSaved();
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.problem.errors?.length) setServerErrors(serverErrorsByRow(rows, err.problem.errors));
      else toast.error(err);
    } finally {
      setSaving(false);
    }
  }

  const rowLabel = (r: PriceRow, i: number) => r.model.trim() || t('settings.priceRow', { n: i + 1 });
  return (
    <Modal title={t('settings.pricesTitle', { name: provider.name })} onClose={onClose} wide>
      <form className="stack" onSubmit={save} noValidate>
        <p className="muted" style={{ margin: 0 }}>{t('settings.pricesHint', { name: provider.name })}</p>
        <div className="table-wrap">
          <table className="price-table" data-testid="price-table">
            <thead>
              <tr><th>{t('settings.priceModel')}</th>{PRICE_FIELDS.map(([, label]) => <th key={label} className="num">{t(`settings.${label}`)}</th>)}<th><span className="sr-only">{t('common.actions')}</span></th></tr>
            </thead>
            <tbody>
              {rows.map((r, i) => {
                const problem = checked ? local.get(r.key) : undefined;
                const error = problem ? t(`settings.price_${problem}`) : serverErrors.byRow.get(r.key);
                const errId = `price-err-${r.key}`;
                return (
                  <tr key={r.key} data-testid="price-row" className={error ? 'has-error' : undefined}>
                    <td>
                      <input value={r.model} aria-label={t('settings.priceModelOf', { n: i + 1 })} aria-invalid={!!error} aria-describedby={error ? errId : undefined}
                        className="mono" onChange={(e) => edit(r.key, { model: e.target.value })} />
                      {error && <small id={errId} className="diag-error" role="alert" data-testid="price-error">{error}</small>}
                    </td>
                    {PRICE_FIELDS.map(([field, label]) => (
                      <td key={field} className="num">
                        <input type="number" inputMode="decimal" min="0" step="any" value={r[field]} aria-invalid={!!error}
                          aria-label={t('settings.priceOf', { what: t(`settings.${label}`), model: rowLabel(r, i) })}
                          onChange={(e) => edit(r.key, { [field]: e.target.value })} />
                      </td>
                    ))}
                    <td className="num">
                      <button type="button" className="btn btn-sm btn-ghost" aria-label={t('settings.removePrice', { model: rowLabel(r, i) })}
                        onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>{t('common.remove')}</button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {!rows.length && <p className="muted" style={{ margin: 0 }}>{t('settings.noPrices')}</p>}
        {serverErrors.other.map((m) => <p key={m} className="notice notice-danger" role="alert">{m}</p>)}
        <div className="row">
          <button type="button" className="btn" onClick={() => setRows((rs) => [...rs, blankRow()])}>{t('settings.addPrice')}</button>
          <span className="spacer" />
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={saving}>{saving ? t('common.saving') : t('settings.savePrices')}</button>
        </div>
      </form>
    </Modal>
  );
}
