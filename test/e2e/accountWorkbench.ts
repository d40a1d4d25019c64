/**
 * The moves of the account journeys in the real workbench, as a user makes them: open the
 * "Snowpark Containers" container from the activity bar, open one of its views, expand a tree item by
 * its path of labels, wait for an item with a label (and a description), right-click an item and pick a
 * context-menu entry, answer a QuickPick, read an output channel, read a notification and click one of
 * its buttons, and press a button of a view's welcome content.
 *
 * Declaring an account journey: `accountJourney(name, body)` is `journey(name, body, { account: true })`
 * from workbench.ts with the emulator handle non-optional (accountFixture.ts writes `emulator_dev` and
 * `emulator_viewer` into the run's SNOWFLAKE_HOME before the workbench opens).
 *
 * Selectors: checked against code-server 4.100.3 (VS Code 1.100.3). Custom tree rows are
 * `.monaco-list-row[role=treeitem]` with `aria-level`, `aria-expanded` (collapsible rows only) and
 * `data-index`; the label is `.label-name`, the description `.label-description` (the row's aria-label
 * is the tooltip when there is one, so it is not used). Context menus render in
 * `.context-view.monaco-menu-container` with `role=menuitem` entries (a click right after the menu
 * opens can be ignored, so an entry is focused by pointing at it and chosen with Enter); QuickPick rows
 * keep their label in the first `.quick-input-list-row` and their detail in
 * `.quick-input-list-label-meta`; modal dialogs are `.monaco-dialog-box`; notification toasts
 * `.notifications-toasts .notification-toast` with `.notification-list-item-message` and buttons in
 * `.notification-list-item-buttons-container`; the Output panel's text is the read-only editor in
 * `.part.panel .output-view`, and its channel list only holds channels that already exist.
 *
 * Also: collapse a view (only rows on screen are rendered, so a journey folds the views it is not
 * reading), find the rows whose label and description the side bar cuts, widen the side bar, wait for an item to disappear, run a palette command by its exact
 * title, wait for a QuickPick's title, answer the questions of a first deploy, read a notification's
 * buttons (and wait until it has faded in, for screenshots), and read the cursor position. The inline
 * action buttons of a row (`.actions .action-label[aria-label=…]`, shown on hover), notification
 * buttons, QuickPick titles (`.quick-input-title`), input-box messages (`.quick-input-message`) and
 * the cursor position (`#status.editor.selection`) were checked by the account journeys too.
 *
 * For the editor's account-aware checks: open the Problems panel and wait for its rows (each row's
 * text holds message, source, code and position; `.markers-panel .monaco-list-row`), ask for
 * completion until the suggest widget lists what the account holds (rows `.suggest-widget
 * .monaco-list-row` with `.label-name` and the inline `.details-label`; the side pane of details
 * `.suggest-details-container`, toggled with Ctrl+Space), widen the suggest widget and its side pane by
 * dragging their edges (`.monaco-sash`), find a status bar item by its text (`.part.statusbar
 * .statusbar-item`; a `$(check)` renders as `.codicon-check`), and wait for a code lens by its title
 * (`.codelens-decoration`).
 *
 * Must not: sleep. Every wait is on a condition with a deadline (Playwright's own waits, or `poll`).
 */

import type { Locator, Page } from 'playwright-core';
import { developerConnection, viewerConnection, type JourneyAccount, type JourneyAccountOptions } from './accountFixture';
import { journey, type Journey, type JourneyOptions } from './workbench';

export { developerConnection, viewerConnection };

export type AccountViewTitle = 'Compute Pools' | 'Services' | 'Image Repositories' | 'Events';

const defaultTimeoutMs = 20_000;

export interface AccountJourney extends Journey {
  readonly account: JourneyAccount;
}

/** A journey with a local emulator whose connections the workbench's extension host reads. */
export function accountJourney(
  name: string,
  body: (journey: AccountJourney) => Promise<void>,
  options: Omit<JourneyOptions, 'account'> & { readonly account?: JourneyAccountOptions } = {},
): void {
  journey(
    name,
    async (run) => {
      const { account } = run;
      if (!account) {
        throw new Error('the journey was declared with an account, but none was started');
      }
      await body({ ...run, account });
    },
    { ...options, account: options.account ?? true },
  );
}

/** A regular expression matching exactly `text`. */
function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/** Checks `condition` until it returns a value other than `undefined`; throws with `what` after the deadline. */
async function poll<T>(page: Page, condition: () => Promise<T | undefined>, what: () => string, timeoutMs = defaultTimeoutMs): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what()}`);
    }
    // Let the workbench render the next frame before looking again.
    await page.evaluate(() => new Promise((resolve) => (globalThis as unknown as { requestAnimationFrame: (callback: () => void) => void }).requestAnimationFrame(() => resolve(undefined))));
  }
}

/** Opens the "Snowpark Containers" container from the activity bar (unless it is open) and returns the side bar. */
export async function openSnowparkContainers(page: Page): Promise<Locator> {
  const tab = page.locator('.activitybar').getByRole('tab', { name: /^Snowpark Containers/ });
  await tab.waitFor({ state: 'visible' });
  if ((await tab.getAttribute('aria-selected')) !== 'true') {
    await tab.click();
  }
  const sidebar = page.locator('.part.sidebar');
  await sidebar.locator('.composite.title h2', { hasText: exactly('Snowpark Containers') }).waitFor({ state: 'visible' });
  return sidebar;
}

/** The pane of one of the container's views (header and body). */
export function viewPane(page: Page, title: AccountViewTitle): Locator {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header h3.title', { hasText: exactly(title) }) });
}

/** Opens the container and expands the view's pane when it is collapsed; returns the pane. */
export async function openView(page: Page, title: AccountViewTitle): Promise<Locator> {
  await openSnowparkContainers(page);
  const pane = viewPane(page, title);
  const header = pane.locator('.pane-header');
  await header.waitFor({ state: 'visible' });
  if ((await header.getAttribute('aria-expanded')) !== 'true') {
    await header.click();
    await pane.locator('.pane-header[aria-expanded="true"]').waitFor({ state: 'visible' });
  }
  return pane;
}

interface RenderedRow {
  readonly index: number;
  readonly level: number;
  readonly label: string;
  readonly description: string;
  readonly expanded: boolean | undefined;
}

/** The tree rows the pane renders now, in tree order. */
async function renderedRows(pane: Locator): Promise<RenderedRow[]> {
  // Type-checked without the DOM library, hence the structural element type.
  type RowElement = {
    getAttribute(name: string): string | null;
    querySelector(selector: string): { readonly textContent: string | null } | null;
  };
  const rows = await pane.locator('.pane-body .monaco-list-row[role="treeitem"]').evaluateAll((elements: unknown[]) =>
    (elements as RowElement[]).map((element) => ({
      index: Number(element.getAttribute('data-index') ?? '-1'),
      level: Number(element.getAttribute('aria-level') ?? '0'),
      label: element.querySelector('.label-name')?.textContent ?? '',
      description: element.querySelector('.label-description')?.textContent ?? '',
      expanded: element.getAttribute('aria-expanded') === null ? undefined : element.getAttribute('aria-expanded') === 'true',
    })),
  );
  return rows.sort((a, b) => a.index - b.index);
}

/** The row at the end of a path of labels (level 1 first), if the pane renders all of it. */
function findPath(rows: readonly RenderedRow[], labels: readonly string[]): RenderedRow | undefined {
  let found: RenderedRow | undefined;
  let from = 0;
  for (const [depth, label] of labels.entries()) {
    const level = depth + 1;
    found = undefined;
    for (let position = from; position < rows.length; position++) {
      const row = rows[position];
      if (!row || (depth > 0 && row.level < level)) {
        break;
      }
      if (row.level === level && row.label === label) {
        found = row;
        from = position + 1;
        break;
      }
    }
    if (!found) {
      return undefined;
    }
  }
  return found;
}

function describeRows(rows: readonly RenderedRow[]): string {
  return rows.length === 0 ? '(no rows)' : rows.map((row) => `${'  '.repeat(row.level - 1)}${row.label}${row.description ? ` — ${row.description}` : ''}`).join('\n');
}

function rowLocator(pane: Locator, row: RenderedRow): Locator {
  return pane.locator(`.pane-body .monaco-list-row[data-index="${row.index}"]`);
}

export interface TreeItemQuery {
  /** The labels from the root (a connection) down to the item, e.g. `['emulator_dev', 'DEMO_CPU_POOL']`. */
  readonly path: readonly string[];
  /** The item's description must match (a substring or a regular expression). */
  readonly description?: string | RegExp;
  readonly timeoutMs?: number;
}

/**
 * The rows of the view at `level` (1: connections) whose label and description do not fit the row,
 * as `label — description`: VS Code cuts them with an ellipsis (`.monaco-icon-label-container`
 * overflows). The focused or selected row is left out: it makes room for its inline action buttons.
 */
export async function cutTreeRows(page: Page, title: AccountViewTitle, level: number): Promise<string[]> {
  type RowElement = {
    getAttribute(name: string): string | null;
    readonly classList: { contains(name: string): boolean };
    querySelector(selector: string): { readonly textContent: string | null; readonly scrollWidth: number; readonly clientWidth: number } | null;
  };
  // Rows show their inline actions under the mouse too: move it off the side bar first.
  await page.mouse.move(1300, 450);
  return viewPane(page, title)
    .locator(`.pane-body .monaco-list-row[role="treeitem"][aria-level="${level}"]`)
    .evaluateAll((elements: unknown[]) =>
      (elements as RowElement[])
        .filter((row) => !row.classList.contains('focused') && !row.classList.contains('selected'))
        .filter((row) => {
          const container = row.querySelector('.monaco-icon-label-container');
          return container !== null && container.scrollWidth > container.clientWidth + 1;
        })
        .map((row) => `${row.querySelector('.label-name')?.textContent ?? ''} — ${row.querySelector('.label-description')?.textContent ?? ''}`),
    );
}

/** Waits until the view shows the item at `path` (with the description, if given); returns its row. */
export async function waitForTreeItem(page: Page, title: AccountViewTitle, query: TreeItemQuery): Promise<Locator> {
  const pane = viewPane(page, title);
  let last: RenderedRow[] = [];
  const row = await poll(
    page,
    async () => {
      last = await renderedRows(pane);
      const candidate = findPath(last, query.path);
      if (!candidate) {
        return undefined;
      }
      const { description } = query;
      if (description !== undefined && !(typeof description === 'string' ? candidate.description.includes(description) : description.test(candidate.description))) {
        return undefined;
      }
      return candidate;
    },
    () => `"${query.path.join(' › ')}"${query.description === undefined ? '' : ` with description ${String(query.description)}`} in ${title}; the view shows:\n${describeRows(last)}`,
    query.timeoutMs,
  );
  return rowLocator(pane, row);
}

/**
 * Expands every item along `path` (the last one too, when it is collapsible), waiting for each to be
 * shown first, as a user clicks the twisties one after another. Returns the last item's row.
 */
export async function expandTreePath(page: Page, title: AccountViewTitle, path: readonly string[], timeoutMs = defaultTimeoutMs): Promise<Locator> {
  await openView(page, title);
  const pane = viewPane(page, title);
  let row: Locator | undefined;
  for (let length = 1; length <= path.length; length++) {
    const prefix = path.slice(0, length);
    row = await waitForTreeItem(page, title, { path: prefix, timeoutMs });
    const expanded = await row.getAttribute('aria-expanded');
    if (expanded === 'false') {
      await row.locator('.monaco-tl-twistie').click();
      let last: RenderedRow[] = [];
      await poll(
        page,
        async () => {
          last = await renderedRows(pane);
          return findPath(last, prefix)?.expanded === true ? true : undefined;
        },
        () => `"${prefix.join(' › ')}" to expand in ${title}; the view shows:\n${describeRows(last)}`,
        timeoutMs,
      );
      // Expanding can re-render rows: find it again.
      row = await waitForTreeItem(page, title, { path: prefix, timeoutMs });
    }
  }
  if (!row) {
    throw new Error('expandTreePath needs a non-empty path');
  }
  return row;
}

/** The labels of the children the view shows under `path` (an empty path: the roots). */
export async function treeChildren(page: Page, title: AccountViewTitle, path: readonly string[]): Promise<{ label: string; description: string }[]> {
  const rows = await renderedRows(viewPane(page, title));
  let start = 0;
  let level = 1;
  if (path.length > 0) {
    const parent = findPath(rows, path);
    if (!parent) {
      return [];
    }
    start = rows.indexOf(parent) + 1;
    level = parent.level + 1;
  }
  const children: { label: string; description: string }[] = [];
  for (const row of rows.slice(start)) {
    if (row.level < level) {
      break;
    }
    if (row.level === level) {
      children.push({ label: row.label, description: row.description });
    }
  }
  return children;
}

/** Right-clicks a row (or any element) and chooses the context-menu entry with this title. */
export async function chooseContextMenuEntry(page: Page, target: Locator, entry: string | RegExp): Promise<void> {
  await target.click({ button: 'right' });
  const menu = page.locator('.context-view.monaco-menu-container');
  await menu.waitFor({ state: 'visible' });
  const name = typeof entry === 'string' ? exactly(entry) : entry;
  const item = menu.getByRole('menuitem', { name });
  await item.waitFor({ state: 'visible' });
  // A click right after the menu opened can be taken for the end of the right-click and ignored: point
  // at the entry (which focuses it) and press Enter, as keyboard users do.
  await item.hover();
  await menu.locator('.action-item.focused', { has: page.getByRole('menuitem', { name }) }).waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden' });
}

/** Clicks one of the inline action buttons a row shows on hover (by its title). */
export async function clickInlineAction(row: Locator, title: string): Promise<void> {
  await row.hover();
  await row.locator(`.actions .action-label[aria-label=${JSON.stringify(title)}]`).click();
}

export interface QuickPickAnswer {
  /** Typed into the input first (filters the list, or is the answer of an input box). */
  readonly type?: string;
  /** The row to choose, by its label (the exact label, or a regular expression); without it, Enter accepts the input. */
  readonly choose?: string | RegExp;
  readonly timeoutMs?: number;
}

/** Answers the QuickPick (or input box) that is open, or about to open. */
export async function answerQuickPick(page: Page, answer: QuickPickAnswer): Promise<void> {
  const timeout = answer.timeoutMs ?? defaultTimeoutMs;
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  await input.waitFor({ state: 'visible', timeout });
  if (answer.type !== undefined) {
    await input.fill(answer.type);
  }
  if (answer.choose !== undefined) {
    // By the label only: a row's text also holds its description, detail and hidden separator text.
    const label = page.locator('.quick-input-list-row:first-child .monaco-icon-name-container .label-name', {
      hasText: typeof answer.choose === 'string' ? exactly(answer.choose) : answer.choose,
    });
    const row = widget.locator('.quick-input-list .monaco-list-row', { has: label }).first();
    await row.waitFor({ state: 'visible', timeout });
    // A pointer left resting on the list (the previous answer's click) opens a row's hover, which
    // would take the click: move it away first.
    await page.mouse.move(0, 0);
    await row.click();
  } else {
    await input.press('Enter');
  }
}

export interface QuickPickRow {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
}

/** The rows a QuickPick offers now, once it shows at least one. */
export async function quickPickRows(page: Page, timeoutMs = defaultTimeoutMs): Promise<QuickPickRow[]> {
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: timeoutMs });
  type RowElement = { querySelector(selector: string): { readonly textContent: string | null } | null };
  const found = await rows.evaluateAll((elements: unknown[]) =>
    (elements as RowElement[]).map((element) => ({
      label: element.querySelector('.quick-input-list-rows .label-name, .label-name')?.textContent ?? '',
      description: element.querySelector('.label-description')?.textContent ?? '',
      detail: element.querySelector('.quick-input-list-label-meta .label-name, .quick-input-list-detail')?.textContent ?? '',
    })),
  );
  return found.map((row) => ({ label: row.label.trim(), description: row.description.trim(), detail: row.detail.replace(/\u00a0/g, ' ').trim() }));
}

/**
 * Shows an output channel in the Output panel, as a user does with "Output: Show Output Channels...".
 * The list holds the channels that exist when it opens: a channel the extension is about to create
 * (while it activates) is not in it yet, so the list is opened again until it is, up to the deadline.
 */
export async function showOutputChannel(page: Page, channel: string, timeoutMs = defaultTimeoutMs): Promise<Locator> {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator('.quick-input-widget input.input');
  for (;;) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill('>Output: Show Output Channels');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Output: Show Output Channels' }).first().click();
    // The same widget then shows the channel list, with an empty input: typing before that would go to the palette.
    await poll(
      page,
      async () => ((await input.inputValue()) === '' ? true : undefined),
      () => 'the list of output channels',
    );
    try {
      await answerQuickPick(page, { type: channel, choose: channel, timeoutMs: 3_000 });
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`the output channel "${channel}" is not in the list: ${error instanceof Error ? error.message : String(error)}`);
      }
      await page.keyboard.press('Escape');
      await input.waitFor({ state: 'hidden' });
    }
  }
  const output = page.locator('.part.panel .output-view');
  await output.waitFor({ state: 'visible' });
  // The channel picker of the panel's title bar (the Output view may render a second one of its own).
  await page
    .locator('.part.panel select.monaco-select-box')
    .filter({ has: page.locator('option:checked', { hasText: exactly(channel) }) })
    .first()
    .waitFor({ state: 'attached' });
  return output;
}

/**
 * The text the Output panel shows (its visible lines, in order), once `until` matches it: call
 * `showOutputChannel` first. Only the lines on screen are rendered: scroll or filter for older ones.
 */
export async function outputText(page: Page, until: RegExp = /\S/, timeoutMs = defaultTimeoutMs): Promise<string> {
  return outputTextWhen(page, (text) => until.test(text), String(until), timeoutMs);
}

/** Like `outputText`, once `accept` returns true for the text (`what` names the wait in the error). */
export async function outputTextWhen(page: Page, accept: (text: string) => boolean, what: string, timeoutMs = defaultTimeoutMs): Promise<string> {
  const lines = page.locator('.part.panel .output-view .monaco-editor .view-lines .view-line');
  let text = '';
  return poll(
    page,
    async () => {
      type LineElement = { readonly style: { readonly top: string }; readonly textContent: string | null };
      const visible = await lines.evaluateAll((elements: unknown[]) =>
        (elements as LineElement[])
          .map((element) => ({ top: parseFloat(element.style.top || '0'), text: element.textContent ?? '' }))
          .sort((a, b) => a.top - b.top)
          .map((line) => line.text),
      );
      text = visible.join('\n').replace(/\u00a0/g, ' ');
      return accept(text) ? text : undefined;
    },
    () => `the Output panel to show ${what}; it shows:\n${text}`,
    timeoutMs,
  );
}

/** A notification toast whose message matches. */
export function notificationToast(page: Page, message: string | RegExp): Locator {
  return page.locator('.notifications-toasts .notification-toast', { has: page.locator('.notification-list-item-message', { hasText: message }) }).first();
}

/** Waits for a notification and returns its message text. */
export async function notificationText(page: Page, message: string | RegExp, timeoutMs = defaultTimeoutMs): Promise<string> {
  const toast = notificationToast(page, message);
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return ((await toast.locator('.notification-list-item-message').textContent()) ?? '').replace(/\u00a0/g, ' ');
}

/** Clicks a button of the notification whose message matches. */
export async function clickNotificationButton(page: Page, message: string | RegExp, button: string, timeoutMs = defaultTimeoutMs): Promise<void> {
  const toast = notificationToast(page, message);
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  await toast.locator('.notification-list-item-buttons-container .monaco-button', { hasText: exactly(button) }).click();
}

/** Answers a modal dialog (destructive actions ask first) by clicking one of its buttons. */
export async function answerDialog(page: Page, button: string, timeoutMs = defaultTimeoutMs): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  const message = ((await dialog.locator('.dialog-message-text').textContent()) ?? '').replace(/\u00a0/g, ' ');
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: exactly(button) }).click();
  await dialog.waitFor({ state: 'hidden', timeout: timeoutMs });
  return message;
}

/** A button (a command link) of a view's welcome content, e.g. "Start Local Emulator". */
export function welcomeButton(page: Page, title: AccountViewTitle, text: string): Locator {
  return viewPane(page, title).locator('.welcome-view-content .monaco-button', { hasText: exactly(text) });
}

/** Collapses a view's pane when it is expanded (to give the others room: only rows on screen are rendered). */
export async function collapseView(page: Page, title: AccountViewTitle): Promise<void> {
  await openSnowparkContainers(page);
  const header = viewPane(page, title).locator('.pane-header');
  await header.waitFor({ state: 'visible' });
  if ((await header.getAttribute('aria-expanded')) === 'true') {
    await header.click();
    await viewPane(page, title).locator('.pane-header[aria-expanded="false"]').waitFor({ state: 'visible' });
  }
}

/** Waits until the view no longer shows an item at `path` (its parent, when given, still shown). */
export async function waitForTreeItemGone(page: Page, title: AccountViewTitle, path: readonly string[], timeoutMs = defaultTimeoutMs): Promise<void> {
  const pane = viewPane(page, title);
  let last: RenderedRow[] = [];
  await poll(
    page,
    async () => {
      last = await renderedRows(pane);
      const parent = path.length > 1 ? findPath(last, path.slice(0, -1)) : undefined;
      if (path.length > 1 && !parent) {
        return undefined;
      }
      return findPath(last, path) ? undefined : true;
    },
    () => `"${path.join(' › ')}" to disappear from ${title}; the view shows:\n${describeRows(last)}`,
    timeoutMs,
  );
}

/**
 * Runs a command from the command palette, choosing the row whose label is exactly `title` (runCommand
 * of workbench.ts takes the first row that contains it: "SPCS: Deploy Service" would also match
 * "SPCS: Deploy Service With New Choices…").
 */
export async function runCommandExactly(page: Page, title: string, timeoutMs = defaultTimeoutMs): Promise<void> {
  await page.keyboard.press('F1');
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(`>${title}`);
  const row = widget.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: exactly(title) }) }).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await row.click();
  await input.waitFor({ state: 'hidden', timeout: timeoutMs }).catch(() => undefined);
}

/** The title of the QuickPick or input box that is open (e.g. "Deploy: compute pool"), once it has this one. */
export async function waitForQuickInputTitle(page: Page, title: string | RegExp, timeoutMs = defaultTimeoutMs): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: timeoutMs });
}

/** The button labels of the notification whose message matches. */
export async function notificationButtons(page: Page, message: string | RegExp, timeoutMs = defaultTimeoutMs): Promise<string[]> {
  const toast = notificationToast(page, message);
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return (await toast.locator('.notification-list-item-buttons-container .monaco-button').allInnerTexts()).map((text) => text.trim());
}

/** The cursor position the status bar shows for the active editor, e.g. `{ line: 5, column: 14 }`, once `until` accepts it. */
export async function cursorPosition(
  page: Page,
  until: (position: { line: number; column: number }) => boolean = () => true,
  timeoutMs = defaultTimeoutMs,
): Promise<{ line: number; column: number }> {
  const item = page.locator('#status\\.editor\\.selection');
  let text = '';
  return poll(
    page,
    async () => {
      text = ((await item.textContent().catch(() => null)) ?? '').replace(/\u00a0/g, ' ');
      const match = /Ln (\d+), Col (\d+)/.exec(text);
      const position = match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
      return position && until(position) ? position : undefined;
    },
    () => `the cursor position in the status bar; it shows "${text}"`,
    timeoutMs,
  );
}

export interface DeployAnswers {
  readonly connection: string;
  readonly pool: string;
  readonly serviceName: string;
  /** `1`, or `1-3`. */
  readonly instances: string;
  /** Called while the pool QuickPick is open (to read or photograph its fit information). */
  readonly atPoolPick?: () => Promise<void>;
}

/**
 * Answers the questions of a first "SPCS: Deploy Service" of a spec, each once its title shows:
 * connection, compute pool, service name, instances, no query warehouse, no external access
 * integrations, auto-resume on.
 */
export async function answerDeployQuestions(page: Page, answers: DeployAnswers): Promise<void> {
  await waitForQuickInputTitle(page, 'Deploy: which connection?');
  await answerQuickPick(page, { choose: answers.connection });
  await waitForQuickInputTitle(page, 'Deploy: compute pool');
  await answers.atPoolPick?.();
  await answerQuickPick(page, { choose: answers.pool });
  await waitForQuickInputTitle(page, 'Deploy: service name');
  await answerQuickPick(page, { type: answers.serviceName });
  await waitForQuickInputTitle(page, 'Deploy: instances');
  await answerQuickPick(page, { type: answers.instances });
  await waitForQuickInputTitle(page, 'Deploy: query warehouse (optional)');
  await answerQuickPick(page, { choose: /No query warehouse/ });
  await waitForQuickInputTitle(page, 'Deploy: external access integrations (optional)');
  await answerQuickPick(page, {});
  await waitForQuickInputTitle(page, 'Deploy: auto-resume');
  await answerQuickPick(page, { choose: 'Auto-resume on' });
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Drags the side bar's edge until it is `width` pixels wide (so the trees' descriptions fit on screen). */
export async function widenSideBar(page: Page, width: number): Promise<void> {
  const sidebar = page.locator('.part.sidebar');
  const box = await sidebar.boundingBox();
  if (!box) {
    throw new Error('the side bar is not shown');
  }
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width - 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width / 2, y, { steps: 4 });
  await page.mouse.move(box.x + width, y, { steps: 4 });
  await page.mouse.up();
  await poll(
    page,
    async () => ((await sidebar.boundingBox())?.width ?? 0) >= width - 20 || undefined,
    () => `the side bar to be ${width} px wide`,
  );
}

/** Waits until the notification whose message matches has finished fading in (for a screenshot that shows it). */
export async function waitForNotificationSettled(page: Page, message: string | RegExp, timeoutMs = defaultTimeoutMs): Promise<void> {
  await page
    .locator('.notifications-toasts .notification-toast.notification-fade-in-done', { has: page.locator('.notification-list-item-message', { hasText: message }) })
    .first()
    .waitFor({ state: 'visible', timeout: timeoutMs });
}

// ---------------------------------------------------------------------------------------------------
// The editor's account-aware checks: the Problems panel, the suggest widget, the status bar.

/** The rows the Problems panel renders now (their text: message, source, code, position), in list order. */
async function problemRowTexts(page: Page): Promise<string[]> {
  type RowElement = { getAttribute(name: string): string | null; readonly innerText: string };
  const rows = await page.locator('.markers-panel .monaco-list-row').evaluateAll((elements: unknown[]) =>
    (elements as RowElement[]).map((element) => ({ index: Number(element.getAttribute('data-index') ?? '-1'), text: element.innerText })),
  );
  return rows.sort((a, b) => a.index - b.index).map((row) => row.text.replace(/\u00a0/g, ' ').replace(/\s*\n\s*/g, ' ').trim());
}

/** Opens the Problems panel (Ctrl+Shift+M) unless it shows already. */
export async function openProblemsPanel(page: Page): Promise<Locator> {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) {
    await page.keyboard.press('Control+Shift+M');
  }
  await panel.waitFor({ state: 'visible' });
  return panel;
}

/**
 * Waits until the Problems panel's rows satisfy `accept` (e.g. "a row with this code", "no row with
 * this code"); returns their texts. Call `openProblemsPanel` first.
 */
export async function problemsWhen(page: Page, accept: (rows: readonly string[]) => boolean, what: string, timeoutMs = defaultTimeoutMs): Promise<string[]> {
  let last: string[] = [];
  return poll(
    page,
    async () => {
      last = await problemRowTexts(page);
      return accept(last) ? last : undefined;
    },
    () => `the Problems panel to show ${what}; it shows:\n${last.length === 0 ? '(no rows)' : last.join('\n')}`,
    timeoutMs,
  );
}

export interface SuggestRow {
  readonly label: string;
  /** The item's detail as the row shows it inline (empty when the row does not show one). */
  readonly detail: string;
  readonly focused: boolean;
}

/** The rows of the suggest widget, in list order (only the rows it renders: the first dozen or so). */
export async function suggestRows(page: Page): Promise<SuggestRow[]> {
  type RowElement = {
    getAttribute(name: string): string | null;
    readonly classList: { contains(name: string): boolean };
    querySelector(selector: string): { readonly textContent: string | null } | null;
  };
  const rows = await page.locator('.suggest-widget .monaco-list-row').evaluateAll((elements: unknown[]) =>
    (elements as RowElement[]).map((element) => ({
      index: Number(element.getAttribute('data-index') ?? '-1'),
      label: element.querySelector('.label-name')?.textContent ?? '',
      detail: element.querySelector('.details-label')?.textContent ?? '',
      focused: element.classList.contains('focused'),
    })),
  );
  return rows
    .sort((a, b) => a.index - b.index)
    .map((row) => ({ label: row.label.replace(/\u00a0/g, ' ').trim(), detail: row.detail.replace(/\u00a0/g, ' ').trim(), focused: row.focused }));
}

/**
 * Asks for completion (Ctrl+Space) in the focused editor until the suggest widget's rows satisfy
 * `accept`; returns them. A list asked for before the language server had what it needs (the account
 * catalog is read in the background) is not asked again by itself, so each attempt closes the widget
 * and asks again, up to the deadline.
 */
export async function suggestUntil(page: Page, accept: (rows: readonly SuggestRow[]) => boolean, what: string, timeoutMs = defaultTimeoutMs): Promise<SuggestRow[]> {
  const deadline = Date.now() + timeoutMs;
  const widget = page.locator('.suggest-widget');
  let last: SuggestRow[] = [];
  for (;;) {
    await page.keyboard.press('Control+Space');
    try {
      return await poll(
        page,
        async () => {
          last = (await widget.isVisible()) ? await suggestRows(page) : [];
          return accept(last) ? last : undefined;
        },
        () => what,
        Math.min(3_000, Math.max(1, deadline - Date.now())),
      );
    } catch (error) {
      if (Date.now() >= deadline) {
        throw new Error(`timed out after ${timeoutMs / 1000} s waiting for the suggest widget to show ${what}; it shows:\n${last.length === 0 ? '(nothing)' : last.map((row) => `${row.label}  ${row.detail}`).join('\n')}`, { cause: error });
      }
      if (await widget.isVisible()) {
        await page.keyboard.press('Escape');
        await widget.waitFor({ state: 'hidden' });
      }
    }
  }
}

/** The status bar item whose text contains `text` (e.g. the connection's name). */
export function statusBarItem(page: Page, text: string | RegExp): Locator {
  return page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
}

/** The code lens whose title contains `title` (e.g. "Target: DEMO_CPU_POOL"), once the editor shows it. */
export async function waitForCodeLens(page: Page, title: string | RegExp, timeoutMs = defaultTimeoutMs): Promise<Locator> {
  const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: title }).first();
  await lens.waitFor({ state: 'visible', timeout: timeoutMs });
  return lens;
}

/** Drags one edge of a resizable widget (its sash) until the widget is `size` pixels wide (left, right) or high (bottom). */
async function dragEdge(page: Page, element: Locator, side: 'left' | 'right' | 'bottom', size: number, what: string): Promise<void> {
  const vertical = side !== 'bottom';
  const reached = async (): Promise<true | undefined> => {
    const now = await element.boundingBox();
    return (vertical ? (now?.width ?? 0) : (now?.height ?? 0)) >= size - 20 || undefined;
  };
  // A drag that starts while the widget re-renders (a loaded machine) can miss its sash: drag again
  // from where the edge is now, a few times, before calling it a failure.
  for (let attempt = 1; ; attempt++) {
    await dragOnce(page, element, side, size, what);
    try {
      await poll(page, reached, () => `${what} to be ${size} px ${vertical ? 'wide' : 'high'}`, attempt < 3 ? 5_000 : defaultTimeoutMs);
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

async function dragOnce(page: Page, element: Locator, side: 'left' | 'right' | 'bottom', size: number, what: string): Promise<void> {
  const box = await element.boundingBox();
  if (!box) {
    throw new Error(`${what} is not shown`);
  }
  const vertical = side !== 'bottom';
  let edge: { x: number; y: number } | undefined;
  for (const sash of await element.locator(vertical ? '.monaco-sash.vertical' : '.monaco-sash.horizontal').all()) {
    const sashBox = await sash.boundingBox();
    if (!sashBox || sashBox.width === 0 || sashBox.height === 0 || !(await sash.isVisible())) {
      continue;
    }
    const point = { x: sashBox.x + sashBox.width / 2, y: sashBox.y + sashBox.height / 2 };
    const better = !edge || (side === 'right' ? point.x > edge.x : side === 'left' ? point.x < edge.x : point.y > edge.y);
    if (better) {
      edge = point;
    }
  }
  if (!edge) {
    throw new Error(`${what} has no ${side} edge to drag`);
  }
  const delta = side === 'bottom' ? size - box.height : (side === 'right' ? 1 : -1) * (size - box.width);
  const to = (fraction: number) => (vertical ? { x: edge.x + delta * fraction, y: edge.y } : { x: edge.x, y: edge.y + delta * fraction });
  await page.mouse.move(edge.x, edge.y);
  await page.mouse.down();
  await page.mouse.move(to(0.5).x, to(0.5).y, { steps: 4 });
  await page.mouse.move(to(1).x, to(1).y, { steps: 4 });
  await page.mouse.up();
  // A pointer left on the sash keeps it highlighted (for the screenshot: wait until it is not).
  await page.mouse.move(0, 0);
  await element.locator('.monaco-sash.hover, .monaco-sash.active').first().waitFor({ state: 'detached' });
}

/**
 * Drags the right edge of the open suggest widget until it is `width` pixels wide, as a user does to
 * read long labels (image paths) in full. The editor remembers the size for the next list.
 */
export async function widenSuggestWidget(page: Page, width: number): Promise<void> {
  await dragEdge(page, page.locator('.suggest-widget'), 'right', width, 'the suggest widget');
}

/**
 * Drags the outer and the bottom edge of the suggest widget's side pane of details (open: Ctrl+Space)
 * until it is `width` × `height` pixels; the pane sits left or right of the list, wherever there is room.
 */
export async function resizeSuggestDetails(page: Page, width: number, height: number): Promise<void> {
  const pane = page.locator('.suggest-details-container');
  const paneBox = await pane.boundingBox();
  const listBox = await page.locator('.suggest-widget').boundingBox();
  const side = paneBox && listBox && paneBox.x < listBox.x ? 'left' : 'right';
  await dragEdge(page, pane, side, width, 'the side pane of the suggest widget');
  await dragEdge(page, pane, 'bottom', height, 'the side pane of the suggest widget');
}
