/** Light and dark themes following the system, unless the user picked one in Settings. */
export type ThemeChoice = 'system' | 'light' | 'dark';

export function themeChoice(): ThemeChoice {
  const stored = localStorage.getItem('switchyard.theme');
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

export function applyTheme(choice: ThemeChoice = themeChoice()): void {
  localStorage.setItem('switchyard.theme', choice);
  const dark = choice === 'dark' || (choice === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', () => applyTheme());
