// Versions of a crew: list, line diff between two versions, restore.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { diffLines } from 'diff';
import YAML from 'yaml';
import { api } from '../../lib/api';
import { fmtDate } from '../../lib/format';
import type { Crew, Page } from '../../lib/types';
import { ConfirmDialog, Skeleton } from '../../components/ui';
import { useToast } from '../../components/Toast';

interface Version { version: number; message: string; created_at: string }
interface VersionDetail extends Version { config: unknown; source_yaml: string | null }

function useVersion(crewId: string, n: number | null) {
  return useQuery({
    queryKey: ['crew', crewId, 'version', n],
    queryFn: () => api<VersionDetail>(`/api/crews/${crewId}/versions/${n}`),
    enabled: n != null,
    staleTime: Infinity,
  });
}

const asText = (v?: VersionDetail) => (v ? v.source_yaml ?? YAML.stringify(v.config) : '');

export default function VersionsPanel({ crew }: { crew: Crew }) {
  const { t } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const versions = useQuery({ queryKey: ['crew', crew.id, 'versions'], queryFn: () => api<Page<Version>>(`/api/crews/${crew.id}/versions?limit=200`) });
  const [a, setA] = useState<number | null>(null);
  const [b, setB] = useState<number | null>(null);
  const [restoring, setRestoring] = useState<number | null>(null);
  const va = useVersion(crew.id, a);
  const vb = useVersion(crew.id, b);

  async function restore(n: number) {
    try {
      const res = await api<Crew>(`/api/crews/${crew.id}/versions/${n}/restore`, { method: 'POST' });
      toast.success(t('crew.restored', { n: res.version }));
      void qc.invalidateQueries({ queryKey: ['crew', crew.id] });
    } catch (e) {
      toast.error(e);
    }
  }

  if (versions.isPending) return <Skeleton lines={4} />;
  const items = versions.data?.items ?? [];
  const parts = a != null && b != null && va.data && vb.data ? diffLines(asText(va.data), asText(vb.data)) : null;
  return (
    <div className="stack" data-testid="versions">
      {items.length === 0 && <p className="muted">{t('crew.noVersions')}</p>}
      <div className="table-wrap">
        <table>
          <thead><tr><th>#</th><th>{t('common.description')}</th><th>{t('common.created')}</th><th>{t('crew.diff')}</th><th /></tr></thead>
          <tbody>
            {items.map((v) => (
              <tr key={v.version}>
                <td className="mono">v{v.version} {v.version === crew.version && <span className="badge badge-neutral">{t('crew.current')}</span>}</td>
                <td>{v.message || '—'}</td>
                <td>{fmtDate(v.created_at)}</td>
                <td>
                  <label className="check"><input type="radio" name="diff-a" checked={a === v.version} onChange={() => setA(v.version)} aria-label={`A v${v.version}`} />A</label>{' '}
                  <label className="check"><input type="radio" name="diff-b" checked={b === v.version} onChange={() => setB(v.version)} aria-label={`B v${v.version}`} />B</label>
                </td>
                <td>{v.version !== crew.version && <button className="btn btn-sm" onClick={() => setRestoring(v.version)}>{t('crew.restore')}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {parts && (
        <div>
          <h3>{t('crew.compare', { a, b })}</h3>
          <div className="diff" data-testid="version-diff">
            {parts.map((p, i) => (
              <div key={i} className={p.added ? 'add' : p.removed ? 'del' : ''}>
                {p.value.replace(/\n$/, '').split('\n').map((l) => `${p.added ? '+' : p.removed ? '-' : ' '} ${l}`).join('\n')}
              </div>
            ))}
          </div>
        </div>
      )}
      {restoring != null && (
        <ConfirmDialog title={t('crew.restore')} text={t('crew.restoreConfirm', { n: restoring })} confirmLabel={t('crew.restore')}
          onConfirm={() => void restore(restoring)} onClose={() => setRestoring(null)} />
      )}
    </div>
  );
}
