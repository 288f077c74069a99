// i18next set up with the two bundled languages; the choice lives in the user's settings
// (and localStorage, so the login page already speaks it).
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../locales/en';
import ko from '../locales/ko';

export type Lang = 'en' | 'ko';
const saved = (typeof localStorage !== 'undefined' && localStorage.getItem('aop.lang')) as Lang | null;
const initial: Lang = saved ?? (typeof navigator !== 'undefined' && navigator.language.startsWith('ko') ? 'ko' : 'en');

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, ko: { translation: ko } },
  lng: initial,
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});
document.documentElement.lang = initial;

export function setLanguage(lang: Lang) {
  localStorage.setItem('aop.lang', lang);
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

export default i18n;
