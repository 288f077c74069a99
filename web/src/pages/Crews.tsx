// Crews: cards with status, search and filter, create from YAML, run / edit / delete.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../lib/api';
import { fmtDate, isSimulatedModel } from '../lib/format';
import type { Crew, Page } from '../lib/types';
import { ConfirmDialog, EmptyState, Modal, SimulatedBadge, Skeleton, StatusBadge } from '../components/ui';
import { useToast } from '../components/Toast';
import RunDialog from '../features/crew/RunDialog';
import { exampleCrewYaml } from '../features/crew/example';

export function usesSimulated(crew: Crew): boolean {
  const doc = crew.config ?? {};
  if (isSimulatedModel(doc.llm) || isSimulatedModel(doc.manager_llm)) return true;
  return Object.values(doc.agents ?? {}).some((a: any) => isSimulatedModel(a?.llm));
}

function CreateCrewDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const yaml = String(new FormData(e.currentTarget).get('yaml'));
    setBusy(true);
    try {
      const crew = await api<Crew>('/api/crews', { body: yaml, contentType: 'application/yaml' });
      toast.success(t('crews.created'));
      void qc.invalidateQueries({ queryKey: ['crews'] });
      onClose();
      navigate(`/crews/${crew.id}`);
    } catch (err) {
      toast.error(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal title={t('crews.createTitle')} onClose={onClose} wide>
      <form className="stack" onSubmit={submit}>
        <div className="field">
          <label htmlFor="crew-yaml">{t('crews.yamlLabel')}</label>
          <textarea id="crew-yaml" name="yaml" className="mono" rows={22} defaultValue={exampleCrewYaml} spellCheck={false} />
        </div>
        <div className="row end">
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={busy}>{t('common.create')}</button>
        </div>
      </form>
    </Modal>
  );
}

export default function Crews() {
  const { t } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const [running, setRunning] = useState<Crew | null>(null);
  const [deleting, setDeleting] = useState<Crew | null>(null);
  const creating = params.get('new') === '1';
  const crews = useQuery({
    queryKey: ['crews', 'list', q, status],
    queryFn: () => api<Page<Crew>>(`/api/crews${qs({ q, status, limit: 200 })}`),
    placeholderData: (prev) => prev,
  });

  async function remove(crew: Crew) {
    try {
      await api(`/api/crews/${crew.id}`, { method: 'DELETE' });
      toast.success(t('common.deleted'));
      void qc.invalidateQueries({ queryKey: ['crews'] });
    } catch (err) {
      toast.error(err);
    }
  }

  const items = crews.data?.items ?? [];
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('crews.title')}</h1>
        <button className="btn btn-primary" onClick={() => setParams({ new: '1' })}>{t('crews.new')}</button>
      </div>
      <div className="filters">
        <div className="field" style={{ flex: 1, minWidth: 240 }}>
          <label htmlFor="crew-search">{t('common.search')}</label>
          <input id="crew-search" type="search" placeholder={t('crews.searchPlaceholder')} value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="crew-status">{t('crews.filterStatus')}</label>
          <select id="crew-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('common.all')}</option>
            <option value="draft">{t('status.draft')}</option>
            <option value="deployed">{t('status.deployed')}</option>
            <option value="stopped">{t('status.stopped')}</option>
          </select>
        </div>
      </div>
      {crews.isPending ? (
        <div className="grid grid-cards">{[1, 2, 3].map((i) => <div className="card" key={i}><Skeleton lines={4} /></div>)}</div>
      ) : items.length === 0 ? (
        q || status ? (
          <EmptyState title={t('crews.noMatch')} />
        ) : (
          <EmptyState title={t('crews.empty')} hint={t('crews.emptyHint')}
            action={<button className="btn btn-primary" onClick={() => setParams({ new: '1' })}>{t('crews.new')}</button>} />
        )
      ) : (
        <div className="grid grid-cards" data-testid="crew-list">
          {items.map((c) => (
            <article className="card crew-card" key={c.id} data-testid="crew-card">
              <div className="row">
                <h3 style={{ flex: 1, margin: 0 }}><Link to={`/crews/${c.id}`}>{c.name}</Link></h3>
                <StatusBadge status={c.status} />
              </div>
              <p className="desc" style={{ margin: 0 }}>{c.description || '—'}</p>
              <div className="row muted" style={{ fontSize: 12.5 }}>
                <span>{t('crews.agents', { count: Object.keys(c.config?.agents ?? {}).length })}</span>·
                <span>{t('crews.tasks', { count: Object.keys(c.config?.tasks ?? {}).length })}</span>·
                <span>{t('crews.version', { n: c.version })}</span>
                {usesSimulated(c) && <SimulatedBadge />}
              </div>
              <small className="muted">{t('crews.lastUpdated', { date: fmtDate(c.updated_at) })}</small>
              <div className="row">
                <button className="btn btn-sm btn-primary" onClick={() => setRunning(c)} disabled={c.status === 'stopped'} aria-label={`${t('common.run')} ${c.name}`}>
                  ▶ {t('common.run')}
                </button>
                <Link className="btn btn-sm" to={`/crews/${c.id}`} aria-label={`${t('common.edit')} ${c.name}`}>{t('common.edit')}</Link>
                <span className="spacer" />
                <button className="btn btn-sm btn-ghost" onClick={() => setDeleting(c)} aria-label={`${t('common.delete')} ${c.name}`}>{t('common.delete')}</button>
              </div>
            </article>
          ))}
        </div>
      )}
      {creating && <CreateCrewDialog onClose={() => setParams({})} />}
      {running && <RunDialog crew={running} onClose={() => setRunning(null)} />}
      {deleting && (
        <ConfirmDialog title={t('crews.deleteTitle')} text={t('crews.deleteConfirm', { name: deleting.name })} confirmLabel={t('common.delete')} danger
          onConfirm={() => void remove(deleting)} onClose={() => setDeleting(null)} />
      )}
    </div>
  );
}
