// Small presentational building blocks shared by the pages.
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** The product mark and name, as in the sidebar and on the sign-in page. */
export function Logo() {
  const { t } = useTranslation();
  return (
    <div className="logo">
      <span className="logo-mark" aria-hidden>◆</span>
      <div>
        <strong>{t('app.name')}</strong>
        <small className="muted">{t('app.tagline')}</small>
      </div>
    </div>
  );
}

export function Skeleton({ lines = 3, height = 16 }: { lines?: number; height?: number }) {
  return (
    <div className="skeleton-group" aria-busy="true" aria-label="loading">
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="skeleton" style={{ height, width: `${90 - ((i * 17) % 40)}%` }} />
      ))}
    </div>
  );
}

export function EmptyState({ title, hint, action }: { title: string; hint?: string; action?: ReactNode }) {
  return (
    <div className="empty" data-testid="empty-state">
      <div className="empty-icon" aria-hidden>◇</div>
      <h3>{title}</h3>
      {hint && <p className="muted">{hint}</p>}
      {action}
    </div>
  );
}

const statusTone: Record<string, string> = {
  draft: 'neutral', deployed: 'success', stopped: 'warning', pending: 'neutral', running: 'info', completed: 'success',
  failed: 'danger', cancelled: 'warning', skipped: 'neutral', active: 'success', error: 'danger', ok: 'success',
};

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-${statusTone[status] ?? 'neutral'}`} data-testid="status-badge" data-status={status}>
      {status === 'running' && <span className="pulse" aria-hidden />}
      {t(`status.${status}`, { defaultValue: status })}
    </span>
  );
}

export function SimulatedBadge() {
  const { t } = useTranslation();
  return (
    <span className="badge badge-sim" title={t('common.simulatedHint')} data-testid="simulated-badge">
      {t('common.simulated')}
    </span>
  );
}

export function Modal({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const { t } = useTranslation();
  useEffect(() => {
    const prev = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('input, textarea, select, button:not(.modal-close)');
    first?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      prev?.focus?.();
    };
  }, [onClose]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={`modal ${wide ? 'modal-wide' : ''}`} role="dialog" aria-modal="true" aria-label={title} ref={ref}>
        <div className="modal-head">
          <h2>{title}</h2>
          <button className="icon-btn modal-close" aria-label={t('common.close')} onClick={onClose}>×</button>
        </div>
        {children}
      </div>
    </div>
  );
}

export function ConfirmDialog({ title, text, confirmLabel, danger, onConfirm, onClose }: {
  title: string; text: string; confirmLabel: string; danger?: boolean; onConfirm: () => void; onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal title={title} onClose={onClose}>
      <p>{text}</p>
      <div className="row end">
        <button className="btn" onClick={onClose}>{t('common.cancel')}</button>
        <button className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} onClick={() => { onConfirm(); onClose(); }}>{confirmLabel}</button>
      </div>
    </Modal>
  );
}

export function Tabs<T extends string>({ tabs, value, onChange, label }: { tabs: { id: T; label: string }[]; value: T; onChange: (v: T) => void; label: string }) {
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {tabs.map((tab) => (
        <button
          key={tab.id}
          role="tab"
          id={`tab-${tab.id}`}
          aria-selected={value === tab.id}
          tabIndex={value === tab.id ? 0 : -1}
          className={`tab ${value === tab.id ? 'active' : ''}`}
          onClick={() => onChange(tab.id)}
          onKeyDown={(e) => {
            const i = tabs.findIndex((x) => x.id === value);
            if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
              const n = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
              onChange(n.id);
              document.getElementById(`tab-${n.id}`)?.focus();
            }
          }}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

export function Field({ label, hint, children, id }: { label: string; hint?: string; children: ReactNode; id: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <small className="muted">{hint}</small>}
    </div>
  );
}

export function CopyButton({ text, label }: { text: string; label?: string }) {
  const { t } = useTranslation();
  return (
    <button
      className="btn btn-sm"
      onClick={(e) => {
        const b = e.currentTarget;
        void navigator.clipboard?.writeText(text).catch(() => {});
        b.textContent = t('common.copied');
        setTimeout(() => (b.textContent = label ?? t('common.copy')), 1500);
      }}
    >
      {label ?? t('common.copy')}
    </button>
  );
}

export function JsonView({ value }: { value: unknown }) {
  return <pre className="code-block">{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>;
}
