import { createSignal } from 'solid-js';

type Theme = 'light' | 'dark';
const KEY = 'edgeplane-theme';

function currentTheme(): Theme {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Switches between light and dark; the choice is remembered, the system's is the default. */
export function ThemeToggle() {
  const [theme, setTheme] = createSignal<Theme>(currentTheme());
  const toggle = () => {
    const next = theme() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
    setTheme(next);
  };
  return (
    <button
      type="button"
      class="button ghost icon"
      onClick={toggle}
      aria-pressed={theme() === 'dark'}
      aria-label="Dark theme"
      title={theme() === 'dark' ? 'Switch to the light theme' : 'Switch to the dark theme'}
    >
      <span aria-hidden="true">{theme() === 'dark' ? '☀' : '☾'}</span>
    </button>
  );
}
