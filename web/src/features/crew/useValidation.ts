// Live validation: the text goes to POST /api/crews/validate (debounced); the findings carry
// path and line/column for inline display.
import { useEffect, useState } from 'react';
import { api } from '../../lib/api';
import type { Validation } from '../../lib/types';

export function useValidation(text: string, delay = 400): { result: Validation | null; pending: boolean } {
  const [result, setResult] = useState<Validation | null>(null);
  const [pending, setPending] = useState(false);
  useEffect(() => {
    let cancelled = false;
    setPending(true);
    const timer = setTimeout(async () => {
      try {
        const r = await api<Validation>('/api/crews/validate', { body: text, contentType: 'application/yaml' });
        if (!cancelled) setResult(r);
      } catch (e) {
        if (!cancelled) setResult({ valid: false, errors: [{ path: '', message: e instanceof Error ? e.message : String(e) }], warnings: [] });
      } finally {
        if (!cancelled) setPending(false);
      }
    }, delay);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [text, delay]);
  return { result, pending };
}
