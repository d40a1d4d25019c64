/**
 * The palette pickers (`pickers.ts`) shown with VS Code: a QuickPick that keeps focus, a window
 * progress indicator while the account is listed, and failures logged and told in a notification.
 *
 * Owns nothing beyond the calls it makes.
 */

import * as vscode from 'vscode';
import type { FeatureContext } from '../model/featureContext';
import { failureMessage } from './failures';
import type { PickerUi } from './pickers';

/** The `PickerUi` of VS Code's window. */
export function vscodePickerUi(context: FeatureContext): PickerUi {
  return {
    busy: (title, task) => Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, task)),
    pick: async (items, options) => {
      const picked = await vscode.window.showQuickPick(
        items.map((item) => ({ label: item.label, description: item.description, detail: item.detail, item })),
        { title: options.title, placeHolder: options.placeholder, matchOnDescription: true, ignoreFocusOut: true },
      );
      return picked?.item;
    },
    info: (message) => void vscode.window.showInformationMessage(message),
    error: (error, what) => {
      context.log.error(`${what}: ${error.kind}: ${error.detail ?? error.message}`);
      void vscode.window.showErrorMessage(failureMessage(what.charAt(0).toLowerCase() + what.slice(1), error));
    },
  };
}
