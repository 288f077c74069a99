// Light / dark / system theme on <html data-theme>, remembered in localStorage.
export type Theme = 'light' | 'dark' | 'system';

let current: Theme = (localStorage.getItem('aop.theme') as Theme) || 'system';
const media = window.matchMedia('(prefers-color-scheme: dark)');

function apply() {
  const dark = current === 'dark' || (current === 'system' && media.matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}
media.addEventListener('change', apply);
apply();

export function getTheme(): Theme {
  return current;
}

export function setTheme(t: Theme) {
  current = t;
  localStorage.setItem('aop.theme', t);
  apply();
}
