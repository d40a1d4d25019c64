/**
 * The table view of a chart: a real `<table>` (caption, column headers, the time as each row's
 * header) inside a focusable, labelled scroll region, so a keyboard reaches it and a screen reader
 * reads it as a table; the same numbers the chart draws (`chartTable` of metricFormat.ts), and a
 * button that copies it tab-separated (the text goes to the extension, which owns the clipboard).
 *
 * Must not: format numbers itself (metricFormat.ts does, for the chart's read-out too).
 */

import { chartTable, tableText } from '../../src/monitoring/metricFormat';
import type { ChartData } from '../../src/monitoring/metricsMessages';

export function renderTable(target: HTMLElement, chart: ChartData, copy: (text: string) => void): void {
  const table = chartTable(chart);
  const captionId = `table-caption-${chart.id}`;
  const region = document.createElement('div');
  region.className = 'table-region';
  region.tabIndex = 0;
  region.setAttribute('role', 'region');
  region.setAttribute('aria-labelledby', captionId);
  const element = document.createElement('table');
  const caption = element.createCaption();
  caption.id = captionId;
  caption.textContent = table.caption;
  const headRow = element.createTHead().insertRow();
  for (const header of table.headers) {
    const cell = document.createElement('th');
    cell.scope = 'col';
    cell.textContent = header;
    headRow.append(cell);
  }
  const body = element.createTBody();
  // Newest first: the rows a person reads first are the recent ones.
  for (let index = table.rows.length - 1; index >= 0; index--) {
    const row = table.rows[index] ?? [];
    const tableRow = body.insertRow();
    row.forEach((text, column) => {
      const cell = document.createElement(column === 0 ? 'th' : 'td');
      if (column === 0) cell.scope = 'row';
      cell.textContent = text;
      tableRow.append(cell);
    });
  }
  region.append(element);
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'copy';
  button.textContent = 'Copy table';
  button.setAttribute('aria-label', `Copy the ${chart.title} table`);
  button.addEventListener('click', () => copy(tableText(table)));
  target.replaceChildren(region, button);
}
