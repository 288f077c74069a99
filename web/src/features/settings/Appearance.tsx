// Theme and language, saved in the user's settings (PATCH /api/auth/me).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { getTheme, setTheme, type Theme } from '../../lib/theme';
import { setLanguage, type Lang } from '../../lib/i18n';
import { useToast } from '../../components/Toast';

export default function Appearance() {
  const { t, i18n } = useTranslation();
  const { updateSettings } = useAuth();
  const toast = useToast();
  const [theme, setThemeState] = useState<Theme>(getTheme());
  const save = (s: { theme?: Theme; language?: Lang }) => updateSettings(s).catch((e) => toast.error(e));
  return (
    <div className="card stack">
      <h2>{t('settings.appearance')}</h2>
      <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0 }}>
        <legend className="field"><strong>{t('settings.theme')}</strong></legend>
        <div className="row" role="radiogroup" aria-label={t('settings.theme')}>
          {(['light', 'dark', 'system'] as const).map((x) => (
            <label key={x} className="check btn">
              <input type="radio" name="theme" value={x} checked={theme === x} onChange={() => { setTheme(x); setThemeState(x); void save({ theme: x }); }} />
              {t(`settings.${x}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field" style={{ maxWidth: 280 }}>
        <label htmlFor="language">{t('settings.language')}</label>
        <select id="language" value={i18n.language} onChange={(e) => { const l = e.target.value as Lang; setLanguage(l); void save({ language: l }); }}>
          <option value="en">{t('settings.english')}</option>
          <option value="ko">{t('settings.korean')}</option>
        </select>
      </div>
    </div>
  );
}
