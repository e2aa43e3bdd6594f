import { useCallback, useEffect, useState } from 'react';
import { readStored, writeStored } from './stored';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'sp404.theme';

export function storedTheme(): ThemeChoice {
  const v = readStored(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

const systemDark = () => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;

/** applyTheme sets the `dark` class on <html> for the choice (system follows the OS). */
export function applyTheme(choice: ThemeChoice) {
  const dark = choice === 'dark' || (choice === 'system' && systemDark());
  document.documentElement.classList.toggle('dark', dark);
  document.documentElement.style.colorScheme = dark ? 'dark' : 'light';
}

/** useTheme holds the choice, persists it and follows OS changes while on "system". */
export function useTheme() {
  const [choice, setChoice] = useState<ThemeChoice>(storedTheme);
  useEffect(() => {
    applyTheme(choice);
    if (choice !== 'system' || !window.matchMedia) return;
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    const on = () => applyTheme('system');
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, [choice]);
  const cycle = useCallback(() => {
    setChoice((c) => {
      const next: ThemeChoice = c === 'system' ? 'light' : c === 'light' ? 'dark' : 'system';
      writeStored(KEY, next === 'system' ? null : next);
      return next;
    });
  }, []);
  return { choice, cycle };
}
