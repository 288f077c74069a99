// Crew detail: Overview, Agents, Tasks (forms + code view in sync), Executions, Settings.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, apiResponse, ApiError } from '../lib/api';
import { fmtDate } from '../lib/format';
import type { Crew, Deployment, Execution, Page } from '../lib/types';
import { CopyButton, EmptyState, SimulatedBadge, Skeleton, StatusBadge, Tabs } from '../components/ui';
import { useToast } from '../components/Toast';
import RunDialog from '../features/crew/RunDialog';
import AgentsForm from '../features/crew/AgentsForm';
import TasksForm from '../features/crew/TasksForm';
import CodePanel from '../features/crew/CodePanel';
import VersionsPanel from '../features/crew/VersionsPanel';
import EnvPanel from '../features/crew/EnvPanel';
import ExportCard from '../features/crew/ExportCard';
import ExecutionTable from '../features/execution/ExecutionTable';
import { parseDoc, serialize, setPath, type Format } from '../features/crew/crewDoc';
import { useValidation } from '../features/crew/useValidation';
import { usesSimulated } from './Crews';

type Tab = 'overview' | 'agents' | 'tasks' | 'executions' | 'settings';
const tabs: Tab[] = ['overview', 'agents', 'tasks', 'executions', 'settings'];

function sourceText(crew: Crew): string {
  return serialize(crew.config, 'yaml');
}

export default function CrewDetail() {
  const { id = '', tab: tabParam } = useParams();
  const tab: Tab = tabs.includes(tabParam as Tab) ? (tabParam as Tab) : 'overview';
  const { t } = useTranslation();
  const toast = useToast();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const crewQ = useQuery({ queryKey: ['crew', id], queryFn: () => api<Crew>(`/api/crews/${id}`) });
  const crew = crewQ.data;
  // The YAML as written (comments included) from the export endpoint; generated YAML otherwise.
  const sourceQ = useQuery({
    queryKey: ['crew', id, 'source', crew?.version],
    queryFn: async () => (await apiResponse(`/api/crews/${id}/export?format=yaml&version=${crew!.version}`, { headers: { Accept: 'application/yaml' } })).text(),
    enabled: !!crew,
    retry: false,
    staleTime: Infinity,
  });

  // Editing state: the document text is the single source of truth; forms edit it through paths.
  const [format, setFormat] = useState<Format>('yaml');
  const [text, setText] = useState<string | null>(null);
  const [baseline, setBaseline] = useState<string>('');
  const [running, setRunning] = useState(false);
  const [busy, setBusy] = useState(false);
  // Load the document; reload it when the crew gets a new version from elsewhere (restore,
  // another tab) and there are no unsaved edits here.
  const loadedVersion = useRef<number | null>(null);
  useEffect(() => {
    if (!crew || sourceQ.isPending) return;
    if (text === null || (crew.version !== loadedVersion.current && text === baseline)) {
      const s = sourceQ.data && parseDoc(sourceQ.data, 'yaml').doc ? sourceQ.data : sourceText(crew);
      loadedVersion.current = crew.version;
      setFormat('yaml');
      setText(s);
      setBaseline(s);
    }
  }, [crew, text, baseline, sourceQ.isPending, sourceQ.data]);
  const current = text ?? '';
  const parsed = useMemo(() => parseDoc(current, format), [current, format]);
  const [lastGood, setLastGood] = useState(parsed.doc);
  useEffect(() => void (parsed.doc && setLastGood(parsed.doc)), [parsed.doc]);
  const doc = parsed.doc ?? lastGood ?? crew?.config ?? {};
  const dirty = text !== null && text !== baseline;
  const validation = useValidation(current);

  const set = (path: string[], value: unknown) => setText((s) => setPath(s ?? '', format, path, value));
  const switchFormat = (f: Format) => {
    if (f === format || !parsed.doc) return;
    const next = serialize(parsed.doc, f);
    setFormat(f);
    setText(next);
    if (!dirty) setBaseline(next);
  };

  async function save() {
    if (!crew) return;
    setBusy(true);
    try {
      const updated = await api<Crew>(`/api/crews/${crew.id}`, { method: 'PUT', body: { config: current, version: crew.version } });
      loadedVersion.current = updated.version;
      qc.setQueryData(['crew', id], updated);
      void qc.invalidateQueries({ queryKey: ['crew', id, 'versions'] });
      void qc.invalidateQueries({ queryKey: ['crews'] });
      setBaseline(current);
      toast.success(t('crew.saved', { n: updated.version }));
    } catch (e) {
      toast.error(e instanceof ApiError && e.status === 409 ? new Error(t('crew.conflict')) : e);
    } finally {
      setBusy(false);
    }
  }

  async function deploy(action: 'deploy' | 'stop') {
    if (!crew) return;
    setBusy(true);
    try {
      const d = await api<Deployment>(`/api/crews/${crew.id}/${action}`, { method: 'POST' });
      toast.success(action === 'deploy' ? t('crew.deployedOk', { n: d.version }) : t('crew.stoppedOk'));
      await qc.invalidateQueries({ queryKey: ['crew', id] });
      void qc.invalidateQueries({ queryKey: ['crews'] });
    } catch (e) {
      toast.error(e);
    } finally {
      setBusy(false);
    }
  }

  if (crewQ.isError) {
    return <div className="page"><EmptyState title={t('errors.notFound')} hint={crewQ.error.message} action={<Link className="btn" to="/crews">{t('nav.crews')}</Link>} /></div>;
  }
  if (!crew) return <div className="page"><Skeleton lines={10} /></div>;

  const code = (
    <CodePanel text={current} format={format} onText={setText} onFormat={switchFormat} validation={validation.result}
      validating={validation.pending} parseError={parsed.error} />
  );

  return (
    <div className="page">
      <div className="page-head">
        <h1>{crew.name}</h1>
        <StatusBadge status={crew.status} />
        {usesSimulated(crew) && <SimulatedBadge />}
        <span className="muted">v{crew.version}</span>
        {dirty && <span className="badge badge-warning">{t('crew.unsaved')}</span>}
        {dirty && <button className="btn" onClick={() => setText(baseline)}>{t('crew.discard')}</button>}
        <button className="btn" onClick={save} disabled={!dirty || busy || !!parsed.error}>{t('crew.saveVersion')}</button>
        {crew.status === 'deployed' ? (
          <button className="btn" onClick={() => deploy('stop')} disabled={busy}>■ {t('crew.stop')}</button>
        ) : (
          <button className="btn" onClick={() => deploy('deploy')} disabled={busy || dirty}>⇪ {t('crew.deploy')}</button>
        )}
        <button className="btn btn-primary" onClick={() => setRunning(true)} disabled={crew.status === 'stopped'}>▶ {t('common.run')}</button>
      </div>
      <Tabs label={crew.name} value={tab} onChange={(v) => navigate(`/crews/${id}/${v}`)} tabs={tabs.map((x) => ({ id: x, label: t(`crew.${x}`) }))} />

      {tab === 'overview' && (
        <div className="grid grid-2">
          <section className="card stack">
            <h2>{t('crew.overview')}</h2>
            <p style={{ margin: 0 }}>{crew.description || '—'}</p>
            <dl className="kv">
              <dt>{t('crew.process')}</dt><dd>{String(crew.config.process ?? 'sequential')}</dd>
              <dt>{t('crew.agents')}</dt><dd>{Object.keys(crew.config.agents ?? {}).join(', ') || '—'}</dd>
              <dt>{t('crew.tasks')}</dt><dd>{Object.keys(crew.config.tasks ?? {}).join(' → ') || '—'}</dd>
              <dt>{t('common.updated')}</dt><dd>{fmtDate(crew.updated_at)}</dd>
            </dl>
            <h3>{t('crew.inputs')}</h3>
            {crew.inputs.length === 0 ? <p className="muted">{t('crew.noInputs')}</p> : (
              <ul>{crew.inputs.map((i) => <li key={i.name}><span className="mono">{i.name}</span> <span className="muted">({i.type}{i.required ? `, ${t('crew.required')}` : ''})</span> {i.description}</li>)}</ul>
            )}
          </section>
          <DeploymentCard crew={crew} />
        </div>
      )}
      {(tab === 'agents' || tab === 'tasks') && (
        <div className="split">
          {tab === 'agents' ? <AgentsForm doc={doc} disabled={!!parsed.error} set={set} /> : <TasksForm doc={doc} disabled={!!parsed.error} set={set} />}
          {code}
        </div>
      )}
      {tab === 'executions' && <CrewExecutions crew={crew} onRun={() => setRunning(true)} />}
      {tab === 'settings' && (
        <div className="stack">
          <DeploymentCard crew={crew} />
          <section className="card"><h2>{t('crew.versions')}</h2><VersionsPanel crew={crew} /></section>
          <EnvPanel crewId={crew.id} />
          <ExportCard crew={crew} />
        </div>
      )}
      {running && <RunDialog crew={crew} onClose={() => setRunning(false)} />}
    </div>
  );
}

function DeploymentCard({ crew }: { crew: Crew }) {
  const { t } = useTranslation();
  const endpoint = `${location.origin}/api/crews/${crew.id}/run`;
  return (
    <section className="card stack" data-testid="deployment">
      <h2>{t('crew.deployment')}</h2>
      <div className="row">
        <StatusBadge status={crew.status} />
        <span data-testid="deployment-status">
          {crew.status === 'deployed' && crew.deployed_version != null ? t('crew.deployed', { n: crew.deployed_version }) : t('crew.notDeployed')}
        </span>
      </div>
      <div className="field">
        <label htmlFor="run-endpoint">{t('crew.endpoint')}</label>
        <div className="row">
          <input id="run-endpoint" className="mono" readOnly value={`POST ${endpoint}`} style={{ flex: 1 }} />
          <CopyButton text={endpoint} />
        </div>
      </div>
      {crew.validation && !crew.validation.valid && (
        <p className="notice notice-danger">{t('crew.errors', { count: crew.validation.errors.length })}</p>
      )}
    </section>
  );
}

function CrewExecutions({ crew, onRun }: { crew: Crew; onRun: () => void }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['executions', 'crew', crew.id], queryFn: () => api<Page<Execution>>(`/api/crews/${crew.id}/executions?limit=50`), refetchInterval: 5000 });
  if (q.isPending) return <Skeleton lines={5} />;
  if (!q.data?.items.length) return <EmptyState title={t('crew.noExecutions')} action={<button className="btn btn-primary" onClick={onRun}>▶ {t('common.run')}</button>} />;
  return <section className="card"><ExecutionTable items={q.data.items} crewNames={{ [crew.id]: crew.name }} /></section>;
}
