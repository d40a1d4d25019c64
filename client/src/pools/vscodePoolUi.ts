/**
 * The compute pool questions (`PoolUi`) asked with VS Code: the instance-family QuickPick (capacity
 * and each open spec's fit), InputBoxes that check as the user types, a modal that shows the exact
 * statement before it is sent, and the typed-name box of a destructive action. The image repository
 * and serving adapters reuse the statement modal, the typed-name box and the progress notification.
 *
 * Owns: how the questions look. Must not: decide anything (createPool/editPool/dropPool do), or send
 * a statement.
 */

import * as vscode from 'vscode';
import type { FamilyRow } from './familyRows';
import { parseNodeRange } from './createPool';
import type { PoolUi, PoolWorkload, TypedConfirmation } from './poolUi';

/** Shows the statement (modal) with one button; true only for that button. */
export async function confirmStatementModal(summary: string, statement: string, button: string): Promise<boolean> {
  const chosen = await vscode.window.showInformationMessage(summary, { modal: true, detail: statement }, button);
  return chosen === button;
}

/** The typed-name box of a destructive action: what goes, the statements, and the name to type. */
export function askTypedNameBox(confirmation: TypedConfirmation): Promise<string | undefined> {
  return Promise.resolve(
    vscode.window.showInputBox({
      title: `${confirmation.action} ${confirmation.name}`,
      prompt: `${confirmation.consequences.join(' ')} Sends: ${confirmation.statements.join('; ')}. It cannot be undone. Type ${confirmation.name} to confirm.`,
      placeHolder: confirmation.name,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' || value.trim().toUpperCase() === confirmation.name.toUpperCase() ? undefined : `Type ${confirmation.name} exactly.`),
    }),
  );
}

export function progressNotification<T>(title: string, task: () => Promise<T>): Promise<T> {
  return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, task));
}

/** A yes/no QuickPick with the current answer first; undefined on Escape. */
async function pickYesNo(title: string, current: boolean, yes: string, no: string): Promise<boolean | undefined> {
  const items = [
    { label: yes, value: true },
    { label: no, value: false },
  ];
  if (!current) items.reverse();
  const picked = await vscode.window.showQuickPick(items, { title, ignoreFocusOut: true });
  return picked?.value;
}

/** The family picker's item: name, capacity, and the fits of the open specs (or the family's description). */
export function familyPickItem(row: FamilyRow): vscode.QuickPickItem & { readonly row: FamilyRow } {
  return {
    label: row.label,
    description: row.capacity,
    detail: row.detail,
    row,
  };
}

export function vscodePoolUi(): PoolUi {
  return {
    pickFamily: async (rows, notes) => {
      // The families every open spec fits come first (the list is long), in the account's order otherwise.
      const fitsAll = (row: FamilyRow): boolean => row.fits.length > 0 && row.fits.every((fit) => fit.fits === 'yes');
      const ordered = [...rows.filter(fitsAll), ...rows.filter((row) => !fitsAll(row))];
      const picked = await vscode.window.showQuickPick(ordered.map(familyPickItem), {
        title: 'Create Compute Pool: instance family',
        placeHolder: notes.length > 0 ? notes.join(' ') : 'vCPU, memory and GPUs per node; each open spec says whether it fits',
        matchOnDescription: true,
        matchOnDetail: true,
        ignoreFocusOut: true,
      });
      return picked?.row;
    },
    askName: (current, check) =>
      Promise.resolve(vscode.window.showInputBox({ title: 'Compute pool name', value: current, prompt: 'A name for the pool (unquoted names are upper case).', ignoreFocusOut: true, validateInput: check })),
    askNodes: async (current, check) => {
      const typed = await vscode.window.showInputBox({
        title: 'Compute pool nodes',
        value: current.min === current.max ? `${current.min}` : `${current.min}-${current.max}`,
        prompt: 'MIN_NODES and MAX_NODES: one number, or a range like 1-3.',
        ignoreFocusOut: true,
        validateInput: check,
      });
      return typed === undefined ? undefined : parseNodeRange(typed);
    },
    askAutoResume: (current) => pickYesNo('Resume the pool automatically when a service or job needs it?', current, 'Auto-resume', 'Resume by hand (ALTER COMPUTE POOL … RESUME)'),
    askAutoSuspendSecs: async (current, check) => {
      const typed = await vscode.window.showInputBox({ title: 'Auto-suspend after (seconds)', value: `${current}`, prompt: 'Seconds without services or jobs before the pool suspends (0: never).', ignoreFocusOut: true, validateInput: check });
      return typed === undefined ? undefined : Number(typed.trim());
    },
    askInitiallySuspended: (current) => pickYesNo('Start the pool now?', !current, 'Start now', 'Create it suspended (it starts when a service needs it)').then((start) => (start === undefined ? undefined : !start)),
    askComment: (current) => Promise.resolve(vscode.window.showInputBox({ title: 'Comment (optional)', value: current, prompt: 'Leave empty for no comment.', ignoreFocusOut: true })),
    confirmStatement: (summary, statement) => confirmStatementModal(summary, statement, /^Create/.test(summary) ? 'Create' : 'Apply'),
    askTypedName: askTypedNameBox,
    chooseStopAllFirst: async (pool: string, services: readonly PoolWorkload[], hidden: number, jobs: readonly PoolWorkload[]) => {
      const names = services.map((each) => each.name).join(', ');
      const more = hidden > 0 ? ` and ${hidden} more the role cannot see` : '';
      const jobText = jobs.length > 0 ? ` Running jobs are cancelled too: ${jobs.map((each) => each.name).join(', ')}.` : '';
      const button = 'Stop All Services, Then Drop';
      const chosen = await vscode.window.showWarningMessage(
        `Compute pool ${pool} still has services, so Snowflake refuses to drop it.`,
        { modal: true, detail: `Services: ${names}${more}.${jobText} Stop them all first (ALTER COMPUTE POOL … STOP ALL), then drop the pool?` },
        button,
      );
      return chosen === button;
    },
    progress: progressNotification,
  };
}
