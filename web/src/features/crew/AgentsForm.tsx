// Agents edited in forms: role, goal, backstory, tools, llm.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CrewDoc } from '../../lib/types';
import { isSimulatedModel } from '../../lib/format';
import { EmptyState, SimulatedBadge } from '../../components/ui';
import { ListField, TextField } from './fields';

interface Props {
  doc: CrewDoc;
  disabled: boolean;
  set: (path: string[], value: unknown) => void;
}

export default function AgentsForm({ doc, disabled, set }: Props) {
  const { t } = useTranslation();
  const [newName, setNewName] = useState('');
  const agents = Object.entries((doc.agents ?? {}) as Record<string, any>);
  return (
    <div className="stack" data-testid="agents-form">
      {agents.length === 0 && <EmptyState title={t('crew.noAgents')} />}
      {agents.map(([name, a]) => (
        <details className="item-card" key={name} open={agents.length <= 3}>
          <summary>
            {name} <span className="muted">— {String(a?.role ?? '')}</span> {isSimulatedModel(a?.llm) && <SimulatedBadge />}
          </summary>
          <TextField id={`agent-${name}-role`} label={t('crew.role')} value={a?.role} disabled={disabled} onChange={(v) => set(['agents', name, 'role'], v)} />
          <TextField id={`agent-${name}-goal`} label={t('crew.goal')} value={a?.goal} disabled={disabled} multiline onChange={(v) => set(['agents', name, 'goal'], v)} />
          <TextField id={`agent-${name}-backstory`} label={t('crew.backstory')} value={a?.backstory} disabled={disabled} multiline onChange={(v) => set(['agents', name, 'backstory'], v)} />
          <div className="field-row">
            <ListField id={`agent-${name}-tools`} label={t('crew.tools')} hint={t('crew.toolsHint')} value={a?.tools} disabled={disabled} onChange={(v) => set(['agents', name, 'tools'], v)} />
            <TextField id={`agent-${name}-llm`} label={t('crew.llm')} hint={t('crew.llmHint')} value={a?.llm} disabled={disabled} onChange={(v) => set(['agents', name, 'llm'], v)} />
          </div>
          <div className="row end">
            <button className="btn btn-sm btn-ghost" disabled={disabled} onClick={() => set(['agents', name], undefined)}>{t('crew.removeAgent', { name })}</button>
          </div>
        </details>
      ))}
      <form className="row" onSubmit={(e) => {
        e.preventDefault();
        const key = newName.trim().replace(/\s+/g, '_');
        if (!key || doc.agents?.[key]) return;
        set(['agents', key], { role: key, goal: '', backstory: '', llm: 'simulated/default' });
        setNewName('');
      }}>
        <input aria-label={t('crew.agentName')} placeholder={t('crew.agentName')} value={newName} disabled={disabled} onChange={(e) => setNewName(e.target.value)} />
        <button className="btn" type="submit" disabled={disabled || !newName.trim()}>{t('crew.addAgent')}</button>
      </form>
    </div>
  );
}
