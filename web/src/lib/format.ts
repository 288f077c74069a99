// Display helpers for numbers, money, durations and dates (locale-aware).
import i18n from './i18n';

const loc = () => (i18n.language === 'ko' ? 'ko-KR' : 'en-US');

export function fmtNumber(n: number | null | undefined): string {
  return n == null ? '—' : new Intl.NumberFormat(loc()).format(n);
}

export function fmtCost(n: number | null | undefined): string {
  if (n == null) return '—';
  const digits = n !== 0 && Math.abs(n) < 0.01 ? 4 : 2;
  return new Intl.NumberFormat(loc(), { style: 'currency', currency: 'USD', currencyDisplay: 'narrowSymbol', maximumFractionDigits: digits, minimumFractionDigits: 2 }).format(n);
}

export function fmtDuration(ms: number | null | undefined): string {
  if (ms == null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m}m ${Math.round(s % 60)}s`;
}

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(loc(), { dateStyle: 'medium', timeStyle: 'short' });
}

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleTimeString(loc(), { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}

export function fmtPercent(r: number | null | undefined): string {
  return r == null ? '—' : `${Math.round(r * 1000) / 10}%`;
}

export function isSimulatedModel(model: unknown): boolean {
  return typeof model === 'string' && model.startsWith('simulated/');
}
