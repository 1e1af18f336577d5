// Reads VS Code's theme colours from its CSS variables and tells listeners when
// the theme changes (VS Code swaps the body class: vscode-light / vscode-dark /
// vscode-high-contrast / vscode-high-contrast-light).
import { readablePalette } from '../../src/webview/palette.js';

export interface ThemeColors {
  foreground: string;
  muted: string;
  grid: string;
  series: string[];
  fontFamily: string;
  highContrast: boolean;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const v = style.getPropertyValue(name).trim();
  return v || fallback;
}

export function readTheme(): ThemeColors {
  const s = getComputedStyle(document.body);
  const dark = document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast');
  const foreground = cssVar(s, '--vscode-foreground', dark ? '#cccccc' : '#333333');
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  return {
    foreground,
    muted: cssVar(s, '--vscode-descriptionForeground', foreground),
    grid: highContrast ? cssVar(s, '--vscode-contrastBorder', foreground) : cssVar(s, '--vscode-editorWidget-border', dark ? '#454545' : '#c8c8c8'),
    // Each made readable (3:1) on the page's own background: Light+'s orange and yellow are too faint as they come.
    series: readablePalette([
      cssVar(s, '--vscode-charts-blue', '#3794ff'),
      cssVar(s, '--vscode-charts-orange', '#d18616'),
      cssVar(s, '--vscode-charts-green', '#89d185'),
      cssVar(s, '--vscode-charts-purple', '#b180d7'),
      cssVar(s, '--vscode-charts-red', '#f14c4c'),
      cssVar(s, '--vscode-charts-yellow', '#cca700'),
      cssVar(s, '--vscode-charts-foreground', foreground),
      cssVar(s, '--vscode-charts-lines', '#808080'),
    ], s.backgroundColor && s.backgroundColor !== 'rgba(0, 0, 0, 0)' ? s.backgroundColor : (dark ? '#1e1e1e' : '#ffffff')),
    fontFamily: cssVar(s, '--vscode-font-family', 'system-ui, sans-serif'),
    highContrast,
  };
}

const listeners = new Set<() => void>();
let observer: MutationObserver | undefined;

/** Calls `fn` after every theme change; returns an unsubscribe function. */
export function onThemeChange(fn: () => void): () => void {
  listeners.add(fn);
  if (!observer) {
    observer = new MutationObserver(() => { for (const l of [...listeners]) l(); });
    observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  }
  return () => { listeners.delete(fn); };
}
