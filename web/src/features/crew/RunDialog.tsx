// Run form generated from the crew's inputs; starts the run and opens the live execution.
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import type { Crew, CrewInput } from '../../lib/types';
import { Modal } from '../../components/ui';
import { useToast } from '../../components/Toast';

function parseValue(input: CrewInput, raw: FormDataEntryValue | null): unknown {
  if (input.type === 'boolean') return raw === 'on';
  const s = String(raw ?? '');
  if (s === '') return undefined;
  if (input.type === 'number' || input.type === 'integer') return Number(s);
  if (input.type === 'object' || input.type === 'array') return JSON.parse(s);
  return s;
}

export default function RunDialog({ crew, onClose }: { crew: Crew; onClose: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [test, setTest] = useState(crew.status !== 'deployed');

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const inputs: Record<string, unknown> = {};
    try {
      for (const inp of crew.inputs) {
        const v = parseValue(inp, f.get(`input-${inp.name}`));
        if (v !== undefined) inputs[inp.name] = v;
      }
    } catch (err) {
      toast.error(err);
      return;
    }
    setBusy(true);
    try {
      const res = await api<{ execution_id: string }>(`/api/crews/${crew.id}/run`, { body: { inputs, test } });
      void qc.invalidateQueries({ queryKey: ['executions'] });
      onClose();
      navigate(`/executions/${res.execution_id}`);
    } catch (err) {
      toast.error(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title={t('crew.runTitle', { name: crew.name })} onClose={onClose}>
      <form className="stack" onSubmit={submit} data-testid="run-form">
        {crew.inputs.length === 0 && <p className="muted">{t('crew.noInputs')}</p>}
        {crew.inputs.map((inp) => (
          <div className="field" key={inp.name}>
            <label htmlFor={`input-${inp.name}`}>
              {inp.name} {inp.required ? <span className="muted">({t('crew.required')})</span> : <span className="muted">({t('common.optional')})</span>}
            </label>
            {inp.type === 'boolean' ? (
              <input id={`input-${inp.name}`} name={`input-${inp.name}`} type="checkbox" defaultChecked={inp.default === true} />
            ) : inp.type === 'object' || inp.type === 'array' ? (
              <textarea id={`input-${inp.name}`} name={`input-${inp.name}`} className="mono" required={inp.required}
                defaultValue={inp.default !== undefined ? JSON.stringify(inp.default) : ''} />
            ) : (
              <input id={`input-${inp.name}`} name={`input-${inp.name}`} type={inp.type === 'string' ? 'text' : 'number'}
                step={inp.type === 'integer' ? 1 : 'any'} required={inp.required}
                defaultValue={inp.default !== undefined ? String(inp.default) : ''} />
            )}
            {inp.description && <small className="muted">{inp.description}</small>}
          </div>
        ))}
        {crew.status === 'deployed' && (
          <label className="check">
            <input type="checkbox" checked={test} onChange={(e) => setTest(e.target.checked)} /> {t('crew.testRun')}
          </label>
        )}
        <div className="row end">
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={busy}>{t('crew.runStart')}</button>
        </div>
      </form>
    </Modal>
  );
}
