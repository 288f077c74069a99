// Tasks edited in forms: description, expected_output, agent, context, condition, output_json.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CrewDoc } from '../../lib/types';
import { EmptyState } from '../../components/ui';
import { JsonField, ListField, TextField } from './fields';

interface Props {
  doc: CrewDoc;
  disabled: boolean;
  set: (path: string[], value: unknown) => void;
}

export default function TasksForm({ doc, disabled, set }: Props) {
  const { t } = useTranslation();
  const [newName, setNewName] = useState('');
  const tasks = Object.entries((doc.tasks ?? {}) as Record<string, any>);
  const agentNames = Object.keys(doc.agents ?? {});
  return (
    <div className="stack" data-testid="tasks-form">
      {tasks.length === 0 && <EmptyState title={t('crew.noTasks')} />}
      {tasks.map(([name, task]) => (
        <details className="item-card" key={name} open={tasks.length <= 3}>
          <summary>{name} {task?.agent && <span className="muted">→ {String(task.agent)}</span>}</summary>
          <TextField id={`task-${name}-description`} label={t('common.description')} value={task?.description} multiline disabled={disabled}
            onChange={(v) => set(['tasks', name, 'description'], v)} />
          <TextField id={`task-${name}-expected_output`} label={t('crew.expectedOutput')} value={task?.expected_output} multiline disabled={disabled}
            onChange={(v) => set(['tasks', name, 'expected_output'], v)} />
          <div className="field-row">
            <div className="field">
              <label htmlFor={`task-${name}-agent`}>{t('crew.agent')}</label>
              <select id={`task-${name}-agent`} value={task?.agent ?? ''} disabled={disabled} onChange={(e) => set(['tasks', name, 'agent'], e.target.value)}>
                <option value="">{t('common.none')}</option>
                {agentNames.map((a) => <option key={a} value={a}>{a}</option>)}
                {task?.agent && !agentNames.includes(task.agent) && <option value={task.agent}>{task.agent}</option>}
              </select>
            </div>
            <ListField id={`task-${name}-context`} label={t('crew.context')} hint={t('crew.contextHint')} value={task?.context} disabled={disabled}
              onChange={(v) => set(['tasks', name, 'context'], v)} />
          </div>
          <TextField id={`task-${name}-condition`} label={t('crew.condition')} hint={t('crew.conditionHint')} value={task?.condition} disabled={disabled}
            onChange={(v) => set(['tasks', name, 'condition'], v)} />
          <JsonField id={`task-${name}-output_json`} label={t('crew.outputJson')} value={task?.output_json} disabled={disabled} invalidText={t('crew.outputJsonInvalid')}
            onChange={(v) => set(['tasks', name, 'output_json'], v)} />
          <div className="row end">
            <button className="btn btn-sm btn-ghost" disabled={disabled} onClick={() => set(['tasks', name], undefined)}>{t('crew.removeTask', { name })}</button>
          </div>
        </details>
      ))}
      <form className="row" onSubmit={(e) => {
        e.preventDefault();
        const key = newName.trim().replace(/\s+/g, '_');
        if (!key || doc.tasks?.[key]) return;
        set(['tasks', key], { description: '', expected_output: '', agent: agentNames[0] ?? '' });
        setNewName('');
      }}>
        <input aria-label={t('crew.taskName')} placeholder={t('crew.taskName')} value={newName} disabled={disabled} onChange={(e) => setNewName(e.target.value)} />
        <button className="btn" type="submit" disabled={disabled || !newName.trim()}>{t('crew.addTask')}</button>
      </form>
    </div>
  );
}
