/**
 * The log commands: follow the logs of a service, an instance or a container (`spcs.logs.follow`),
 * show its recent lines once (`spcs.logs.show`), show a restarted container's previous run
 * (`spcs.logs.showPrevious`), and stop follows (`spcs.logs.stop`).
 *
 * Arguments: a node of model/nodes.ts of kind service, instance or container (other nodes of a
 * service, such as an endpoint, mean the whole service), or an object with the same fields built by
 * hand (`{ kind: 'service', view: 'spcs.services', connection, database, schema, name }`, as the
 * deploy flow passes); from the palette, nothing: the connection, the service and the part of it are
 * then asked for.
 *
 * Return values, for callers of `vscode.commands.executeCommand` (tests, the deploy flow):
 * `spcs.logs.follow` returns the `FollowHandle` (`lines()`, `entries()`, `onDidAppend`, `stop()`),
 * `spcs.logs.show` and `spcs.logs.showPrevious` a `LogSnapshot` (`lines()`), `spcs.logs.stop` the
 * number of follows it stopped (it also takes such a handle as its argument); `undefined` when the user
 * cancelled or the command failed (it said why).
 *
 * Settings: `spcs.logs.tailLines`, `spcs.logs.includeTimestamps`, `spcs.logs.maxPollInterval`, and
 * `spcs.snowflake.queryTimeout` for each statement.
 *
 * Must not: poll or format lines itself (`logs/logFollower.ts`, `logs/logView.ts`), or keep follows
 * running after the account features are disposed or after their connection is gone.
 */

import * as vscode from 'vscode';
import type { FeatureContext } from '../model/featureContext';
import type { CommandTable, LogCommandId } from '../model/commandIds';
import type { SnowflakeError } from '../snowflake/errors';
import { LogChannels, type FollowHandle, type LogSettings, type LogSnapshot } from './logChannels';
import { fetchPreviousLogs } from './logFollower';
import { snowflakeLogSource } from './logSql';
import { fetchRecentLogs, followTargetOf, logTargetOf, targetLabel, type LogTarget } from './logView';
import { logTargetOfRef, resolveLogTarget } from './logTargets';
import { vscodePickerUi } from '../ui/vscodePickers';
import { failureMessage } from '../ui/failures';
import { pickLogTarget } from '../ui/pickers';

export interface LogCommands extends vscode.Disposable {
  readonly commands: CommandTable<LogCommandId>;
}

/** Lines of a one-shot view when `spcs.logs.tailLines` is 0 (which only makes sense for a follow). */
const oneShotDefaultLines = 100;

export function createLogCommands(context: FeatureContext): LogCommands {
  const settings = (): LogSettings => {
    const configuration = vscode.workspace.getConfiguration('spcs');
    const tailLines = clamp(configuration.get<number>('logs.tailLines', 100), 0, 10_000);
    const maxPollSeconds = clamp(configuration.get<number>('logs.maxPollInterval', 30), 2, 300);
    return { tailLines, includeTimestamps: configuration.get<boolean>('logs.includeTimestamps', false), maxPollMs: maxPollSeconds * 1000, queryTimeoutMs: context.queryTimeoutMs() };
  };
  const channels = new LogChannels(context.sessions, settings, context.log);
  const ui = vscodePickerUi(context);
  const subscriptions: vscode.Disposable[] = [
    channels,
    context.connections.onDidChange(() => {
      const current = context.connections.current();
      // A connection file that cannot be read says nothing about which connections are gone.
      if (current.ok) void channels.stopMissingConnections(new Set(current.value.connections.map((connection) => connection.name)));
    }),
  ];

  const resolve = (arg: unknown, title: string, containersOnly = false): Promise<LogTarget | undefined> => resolveLogTarget(context, ui, arg, title, containersOnly);


  const showFailure = (action: string, error: SnowflakeError): void => {
    if (error.kind === 'cancelled') return;
    context.log.error(`${action}: ${error.kind}: ${error.detail ?? error.message}`);
    void vscode.window.showErrorMessage(failureMessage(action, error));
  };

  const withProgress = <T>(title: string, task: (signal: AbortSignal) => Promise<T>): Thenable<T> =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      return task(controller.signal).finally(() => {
        subscription.dispose();
      });
    });

  const follow = async (arg: unknown): Promise<FollowHandle | undefined> => {
    const target = await resolve(arg, 'Follow Logs');
    return target ? channels.follow(target) : undefined;
  };

  const show = async (arg: unknown): Promise<LogSnapshot | undefined> => {
    const target = await resolve(arg, 'Show Recent Logs');
    if (!target) return undefined;
    const current = settings();
    const numLines = current.tailLines > 0 ? current.tailLines : oneShotDefaultLines;
    const source = snowflakeLogSource(context.sessions, target.connection, { timeoutMs: current.queryTimeoutMs });
    const result = await withProgress(`Reading the recent logs of ${targetLabel(target)}…`, (signal) =>
      fetchRecentLogs(source, followTargetOf(target), { numLines, includeTimestamps: current.includeTimestamps, signal }),
    );
    if (!result.ok) {
      showFailure(`read the logs of ${targetLabel(target)}`, result.error);
      return undefined;
    }
    const { lines, containers } = result.value;
    const header = `The last ${numLines} lines of ${containers === 1 ? 'the container' : `each of ${containers} containers`} of ${targetLabel(target)} (${target.database}.${target.schema}, connection "${target.connection}"), read ${new Date().toISOString().slice(0, 19)}Z. Follow the logs to see new lines.`;
    return channels.showSnapshot(target, 'recent', lines.length > 0 ? header : `${header} No lines yet.`, lines);
  };

  const showPrevious = async (arg: unknown): Promise<LogSnapshot | undefined> => {
    let target = await resolve(arg, 'Show Previous Container Logs', true);
    if (target && target.container === undefined) {
      // A service or instance: ask which of its containers.
      const part = await pickLogTarget(ui, context.sessions, target, { title: 'Show Previous Container Logs', timeoutMs: context.queryTimeoutMs(), containersOnly: true });
      const chosen = part ? logTargetOfRef(part) : undefined;
      target = chosen && (target.instanceId === undefined || chosen.instanceId === target.instanceId) ? chosen : undefined;
    }
    if (!target || target.instanceId === undefined || target.container === undefined) return undefined;
    const current = settings();
    const source = snowflakeLogSource(context.sessions, target.connection, { timeoutMs: current.queryTimeoutMs });
    const container = { service: followTargetOf(target).service, instance: target.instanceId, container: target.container };
    const numLines = current.tailLines > 0 ? current.tailLines : oneShotDefaultLines;
    const result = await withProgress(`Reading the previous logs of ${targetLabel(target)}…`, (signal) =>
      fetchPreviousLogs(source.query, container, { numLines, includeTimestamps: current.includeTimestamps, scope: 'container', signal }),
    );
    if (!result.ok) {
      showFailure(`read the previous logs of ${targetLabel(target)}`, result.error);
      return undefined;
    }
    if (result.value.length === 0) {
      void vscode.window.showInformationMessage(`${targetLabel(target)} has no logs of a previous run: it has not restarted, or Snowflake no longer keeps them.`);
      return undefined;
    }
    const header = `The last ${numLines} lines of the previous run of ${targetLabel(target)} (before its last restart), connection "${target.connection}".`;
    return channels.showSnapshot(target, 'previous', header, result.value);
  };

  const stop = async (arg: unknown): Promise<number | undefined> => {
    if (arg !== undefined && !Array.isArray(arg)) {
      // A node, a reference, or a handle that `spcs.logs.follow` returned.
      const target = logTargetOf(arg) ?? logTargetOf((arg as { target?: unknown }).target);
      const handle = target ? channels.find(target) : undefined;
      if (!handle?.running) {
        void vscode.window.showInformationMessage(target ? `The logs of ${targetLabel(target)} are not being followed.` : 'Stop Following Logs works on a followed service, instance or container.');
        return 0;
      }
      return channels.stop([handle]);
    }
    const running = channels.running();
    if (running.length === 0) {
      void vscode.window.showInformationMessage('No log follows are running.');
      return 0;
    }
    const items: (vscode.QuickPickItem & { handles: FollowHandle[] })[] = running.map((handle) => ({
      label: targetLabel(handle.target),
      description: `${handle.target.database}.${handle.target.schema} · ${handle.target.connection}`,
      detail: handle.channelName,
      handles: [handle],
    }));
    if (running.length > 1) items.unshift({ label: `Stop all ${running.length} follows`, handles: running });
    const picked = await vscode.window.showQuickPick(items, { title: 'Stop Following Logs', placeHolder: 'Follow to stop' });
    return picked ? channels.stop(picked.handles) : undefined;
  };

  return {
    commands: {
      'spcs.logs.follow': follow,
      'spcs.logs.show': show,
      'spcs.logs.showPrevious': showPrevious,
      'spcs.logs.stop': stop,
    },
    dispose: () => {
      for (const subscription of subscriptions) subscription.dispose();
    },
  };
}

function clamp(value: number, minimum: number, maximum: number): number {
  return Number.isFinite(value) ? Math.min(maximum, Math.max(minimum, Math.floor(value))) : minimum;
}
