/**
 * The editor's colours for the charts: VS Code puts its theme into a webview as `--vscode-*` CSS
 * variables on the root element (and `vscode-light` / `vscode-dark` / `vscode-high-contrast` classes on
 * the body), and changes them in place when the user switches themes. Canvas drawing cannot use CSS
 * variables, so the colours are read here and the charts redrawn when they change.
 *
 * Owns: the palette (the theme's `charts.*` colours), the limit line's colour (`charts.red`), axes and
 * grid, and watching for theme changes. Must not: draw.
 */

export interface ChartColors {
  readonly series: readonly string[];
  readonly limit: string;
  readonly axis: string;
  readonly grid: string;
  readonly font: string;
}

/** Theme variables of the series, in the order series take them. */
export const seriesVariables = ['--vscode-charts-blue', '--vscode-charts-green', '--vscode-charts-yellow', '--vscode-charts-purple', '--vscode-charts-orange', '--vscode-charts-foreground'] as const;

/** Used only when a variable is missing (a page opened outside VS Code): VS Code's Dark Modern values. */
const fallbacks: Readonly<Record<string, string>> = {
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-foreground': '#cccccc',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-lines': 'rgba(204, 204, 204, 0.5)',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-font-size': '13px',
};

function variable(style: CSSStyleDeclaration, name: string): string {
  const value = style.getPropertyValue(name).trim();
  return value !== '' ? value : (fallbacks[name] ?? '#888888');
}

export function readColors(root: Element = document.documentElement): ChartColors {
  const style = getComputedStyle(root);
  const grid = variable(style, '--vscode-charts-lines');
  return {
    series: seriesVariables.map((name) => variable(style, name)),
    limit: variable(style, '--vscode-charts-red'),
    axis: variable(style, '--vscode-descriptionForeground'),
    grid,
    font: `${variable(style, '--vscode-font-size')} ${variable(style, '--vscode-font-family')}`,
  };
}

/** Calls `onChange` when the theme's variables or classes change (coalesced to one call per frame). */
export function watchTheme(onChange: () => void): () => void {
  let pending = false;
  const observer = new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      onChange();
    });
  });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}
