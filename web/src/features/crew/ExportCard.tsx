// Download the crew document as YAML (as written), JSON, or a CrewAI project's two YAML files.
import { useTranslation } from 'react-i18next';
import { apiResponse } from '../../lib/api';
import type { Crew } from '../../lib/types';
import { useToast } from '../../components/Toast';

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export default function ExportCard({ crew }: { crew: Crew }) {
  const { t } = useTranslation();
  const toast = useToast();
  const base = crew.name.replace(/[^A-Za-z0-9_-]+/g, '-') || 'crew';
  async function run(format: 'yaml' | 'json' | 'crewai') {
    try {
      const text = await (await apiResponse(`/api/crews/${crew.id}/export?format=${format}`)).text();
      if (format === 'crewai') {
        const pair = JSON.parse(text);
        download(`${base}-agents.yaml`, pair.agents_yaml, 'application/yaml');
        download(`${base}-tasks.yaml`, pair.tasks_yaml, 'application/yaml');
      } else {
        download(`${base}.${format}`, text, format === 'json' ? 'application/json' : 'application/yaml');
      }
    } catch (e) {
      toast.error(e);
    }
  }
  return (
    <section className="card stack">
      <h2>{t('crew.export')}</h2>
      <p className="muted" style={{ margin: 0 }}>{t('crew.exportHint')}</p>
      <div className="row">
        <button className="btn" onClick={() => run('yaml')}>{t('crew.exportYaml')}</button>
        <button className="btn" onClick={() => run('json')}>{t('crew.exportJson')}</button>
        <button className="btn" onClick={() => run('crewai')}>{t('crew.exportCrewai')}</button>
      </div>
    </section>
  );
}
