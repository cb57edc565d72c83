// Applies the saved theme before first paint (a file, not inline, so a strict CSP can forbid inline scripts).
try {
  const theme = localStorage.getItem('edgeplane-theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {}
