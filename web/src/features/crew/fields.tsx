// Form inputs bound to one path of the crew document.
import { useEffect, useState } from 'react';

interface Base {
  id: string;
  label: string;
  hint?: string;
  disabled?: boolean;
}

export function TextField({ value, onChange, multiline, ...p }: Base & { value: unknown; onChange: (v: string) => void; multiline?: boolean }) {
  const v = value == null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return (
    <div className="field">
      <label htmlFor={p.id}>{p.label}</label>
      {multiline ? (
        <textarea id={p.id} value={v} disabled={p.disabled} onChange={(e) => onChange(e.target.value)} rows={3} />
      ) : (
        <input id={p.id} value={v} disabled={p.disabled} onChange={(e) => onChange(e.target.value)} />
      )}
      {p.hint && <small className="muted">{p.hint}</small>}
    </div>
  );
}

/** Comma-separated list, committed on blur or Enter (so typing a comma is not undone). */
export function ListField({ value, onChange, ...p }: Base & { value: unknown; onChange: (v: string[]) => void }) {
  const fromValue = Array.isArray(value) ? value.join(', ') : '';
  const [text, setText] = useState(fromValue);
  useEffect(() => setText(fromValue), [fromValue]);
  const commit = () => onChange(text.split(',').map((s) => s.trim()).filter(Boolean));
  return (
    <div className="field">
      <label htmlFor={p.id}>{p.label}</label>
      <input id={p.id} value={text} disabled={p.disabled} onChange={(e) => setText(e.target.value)} onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), commit())} />
      {p.hint && <small className="muted">{p.hint}</small>}
    </div>
  );
}

/** JSON value (e.g. a JSON Schema), committed on blur when it parses. */
export function JsonField({ value, onChange, invalidText, ...p }: Base & { value: unknown; onChange: (v: unknown) => void; invalidText: string }) {
  const fromValue = value == null ? '' : JSON.stringify(value, null, 2);
  const [text, setText] = useState(fromValue);
  const [bad, setBad] = useState(false);
  useEffect(() => setText(fromValue), [fromValue]);
  return (
    <div className="field">
      <label htmlFor={p.id}>{p.label}</label>
      <textarea id={p.id} className="mono" rows={4} value={text} disabled={p.disabled} aria-invalid={bad}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          if (text.trim() === '') return setBad(false), onChange(undefined);
          try {
            onChange(JSON.parse(text));
            setBad(false);
          } catch {
            setBad(true);
          }
        }} />
      {bad && <small className="diag-error" role="alert">{invalidText}</small>}
    </div>
  );
}
