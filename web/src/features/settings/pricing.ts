// Per-model prices of an LLM connection: editable rows <-> the `pricing` object, and the
// server's `pricing.<model>` error paths matched back to their rows.
import type { ProblemError } from '../../lib/api';
import type { ModelPrice } from '../../lib/types';

export interface PriceRow {
  key: number; // stable React key
  model: string;
  input: string;
  output: string;
  cached: string;
}

let nextKey = 1;
export const blankRow = (): PriceRow => ({ key: nextKey++, model: '', input: '', output: '', cached: '' });

export function rowsFromPricing(pricing: Record<string, ModelPrice> | undefined): PriceRow[] {
  return Object.entries(pricing ?? {}).map(([model, p]) => ({
    key: nextKey++, model, input: String(p.input), output: String(p.output), cached: p.cached_input == null ? '' : String(p.cached_input),
  }));
}

/** Empty required prices go out as null so that the server names the row; it checks the numbers. */
export function pricingFromRows(rows: PriceRow[]): Record<string, unknown> {
  const num = (s: string) => (s.trim() === '' ? null : Number(s));
  const out: Record<string, unknown> = {};
  for (const r of rows) {
    const price: Record<string, number | null> = { input: num(r.input), output: num(r.output) };
    if (r.cached.trim() !== '') price.cached_input = num(r.cached);
    out[r.model.trim()] = price;
  }
  return out;
}

export type RowProblem = 'missing' | 'duplicate';

/** Problems the server cannot be asked about: rows without a model name, and repeated names. */
export function localProblems(rows: PriceRow[]): Map<number, RowProblem> {
  const seen = new Set<string>();
  const found = new Map<number, RowProblem>();
  for (const r of rows) {
    const m = r.model.trim();
    if (!m) found.set(r.key, 'missing');
    else if (seen.has(m)) found.set(r.key, 'duplicate');
    seen.add(m);
  }
  return found;
}

/** Server errors by row key (paths `pricing.<model>` or deeper; model names may contain dots). */
export function serverErrorsByRow(rows: PriceRow[], errors: ProblemError[]): { byRow: Map<number, string>; other: string[] } {
  const byRow = new Map<number, string>();
  const other: string[] = [];
  for (const e of errors) {
    let best: PriceRow | undefined;
    for (const r of rows) {
      const p = `pricing.${r.model.trim()}`;
      if ((e.path === p || e.path.startsWith(`${p}.`)) && (!best || r.model.length > best.model.length)) best = r;
    }
    if (best) byRow.set(best.key, byRow.has(best.key) ? `${byRow.get(best.key)}; ${e.message}` : e.message);
    else other.push(e.path ? `${e.path}: ${e.message}` : e.message);
  }
  return { byRow, other };
}
