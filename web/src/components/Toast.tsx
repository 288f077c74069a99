// Toast notifications; errors show the problem+json `detail`.
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { ApiError } from '../lib/api';
import i18n from '../lib/i18n';

interface ToastItem {
  id: number;
  kind: 'error' | 'success' | 'info';
  text: string;
}
interface ToastApi {
  show(kind: ToastItem['kind'], text: string): void;
  error(e: unknown): void;
  success(text: string): void;
}

const Ctx = createContext<ToastApi | null>(null);
let nextId = 1;

export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const extra = e.problem.errors?.slice(0, 3).map((x) => `${x.path}: ${x.message}`).join('; ');
    const base = e.problem.detail || e.problem.title || `HTTP ${e.status}`;
    return extra && !base.includes(extra) ? `${base} (${extra})` : base;
  }
  if (e instanceof TypeError) return i18n.t('errors.network');
  return e instanceof Error ? e.message : String(e);
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const show = useCallback((kind: ToastItem['kind'], text: string) => {
    const id = nextId++;
    setItems((xs) => [...xs.slice(-3), { id, kind, text }]);
    setTimeout(() => setItems((xs) => xs.filter((x) => x.id !== id)), kind === 'error' ? 8000 : 3500);
  }, []);
  const api: ToastApi = {
    show,
    error: (e) => show('error', errorText(e)),
    success: (text) => show('success', text),
  };
  return (
    <Ctx.Provider value={api}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {items.map((x) => (
          <div key={x.id} className={`toast toast-${x.kind}`} data-testid={`toast-${x.kind}`}>
            <span>{x.text}</span>
            <button className="icon-btn" aria-label={i18n.t('common.close')} onClick={() => setItems((xs) => xs.filter((y) => y.id !== x.id))}>
              ×
            </button>
          </div>
        ))}
      </div>
    </Ctx.Provider>
  );
}

export function useToast(): ToastApi {
  const v = useContext(Ctx);
  if (!v) throw new Error('useToast outside ToastProvider');
  return v;
}
