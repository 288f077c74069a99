// The code view: CodeMirror with YAML/JSON switch and the validation findings listed by line.
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Validation } from '../../lib/types';
import { Skeleton } from '../../components/ui';
import type { LineDiagnostic } from '../../components/editor/CodeEditor';
import type { Format } from './crewDoc';

const CodeEditor = lazy(() => import('../../components/editor/CodeEditor'));

interface Props {
  text: string;
  format: Format;
  onText: (t: string) => void;
  onFormat: (f: Format) => void;
  validation: Validation | null;
  validating: boolean;
  parseError: string | null;
}

export default function CodePanel({ text, format, onText, onFormat, validation, validating, parseError }: Props) {
  const { t } = useTranslation();
  const [jump, setJump] = useState<{ line: number; n: number } | null>(null);
  const diags: (LineDiagnostic & { path: string })[] = useMemo(
    () => [
      ...(validation?.errors ?? []).map((d) => ({ ...d, severity: 'error' as const })),
      ...(validation?.warnings ?? []).map((d) => ({ ...d, severity: 'warning' as const })),
    ],
    [validation],
  );
  return (
    <section className="stack" aria-label={t('crew.code')}>
      <div className="row">
        <h2 style={{ margin: 0, flex: 1 }}>{t('crew.code')}</h2>
        <div className="row" role="radiogroup" aria-label={t('crew.format')}>
          {(['yaml', 'json'] as const).map((f) => (
            <button key={f} role="radio" aria-checked={format === f} className={`btn btn-sm ${format === f ? 'btn-primary' : ''}`}
              disabled={!!parseError && format !== f} onClick={() => onFormat(f)}>
              {t(`crew.${f}`)}
            </button>
          ))}
        </div>
      </div>
      <Suspense fallback={<Skeleton lines={12} />}>
        <CodeEditor value={text} onChange={onText} language={format} diagnostics={diags} label={t('crew.codeLabel')} jump={jump} />
      </Suspense>
      <div data-testid="validation" aria-live="polite">
        {parseError && <p className="diag diag-error">{t('crew.parseError', { msg: parseError })}</p>}
        {validating && !validation ? (
          <small className="muted">{t('crew.validating')}</small>
        ) : validation && diags.length === 0 ? (
          <small className="badge badge-success" data-testid="validation-ok">✓ {t('crew.valid')}</small>
        ) : (
          <>
            <small className="muted">
              {t('crew.errors', { count: validation?.errors.length ?? 0 })} · {t('crew.warnings', { count: validation?.warnings.length ?? 0 })}
            </small>
            <ul style={{ listStyle: 'none', padding: 0, margin: '.25rem 0 0' }}>
              {diags.map((d, i) => (
                <li key={i}>
                  <button className={`diag diag-${d.severity}`} data-testid="diagnostic" data-line={d.line ?? ''}
                    onClick={() => d.line && setJump({ line: d.line, n: Date.now() })}>
                    <span className="mono">{d.line ? t('crew.line', { line: d.line }) : '—'}</span>
                    <span><span className="mono">{d.path}</span> {d.message}</span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}
