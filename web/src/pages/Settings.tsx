// Settings: profile, appearance (theme, language), API keys, team, LLM connections.
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Tabs } from '../components/ui';
import Profile from '../features/settings/Profile';
import Appearance from '../features/settings/Appearance';
import ApiKeys from '../features/settings/ApiKeys';
import Team from '../features/settings/Team';
import LlmProviders from '../features/settings/LlmProviders';

const TABS = ['profile', 'appearance', 'apiKeys', 'team', 'llm'] as const;
type Tab = (typeof TABS)[number];

export default function Settings() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { tab: param } = useParams();
  const tab: Tab = TABS.includes(param as Tab) ? (param as Tab) : 'profile';
  return (
    <div className="page">
      <div className="page-head"><h1>{t('settings.title')}</h1></div>
      <Tabs label={t('settings.title')} value={tab} onChange={(v) => navigate(`/settings/${v}`)} tabs={TABS.map((x) => ({ id: x, label: t(`settings.${x}`) }))} />
      {tab === 'profile' && <Profile />}
      {tab === 'appearance' && <Appearance />}
      {tab === 'apiKeys' && <ApiKeys />}
      {tab === 'team' && <Team />}
      {tab === 'llm' && <LlmProviders />}
    </div>
  );
}
