/**
 * Which service, instance or container a log, metrics or events command is about: the node or
 * reference it was invoked on, or, from the palette, the connection, service and part the user picks.
 *
 * Owns: that one resolution, shared by the logs room and the monitoring room. Must not: read logs.
 */

import * as vscode from 'vscode';
import type { FeatureContext } from '../model/featureContext';
import { isNode, serviceOf } from '../model/nodes';
import { pickLogTarget, pickService, serviceRefOf, type LogTargetRef, type PickerUi } from '../ui/pickers';
import { logTargetOf, type LogTarget } from './logView';

/** The target of a node or reference; from the palette, asks for the connection, service and part. */
export async function resolveLogTarget(context: FeatureContext, ui: PickerUi, arg: unknown, title: string, containersOnly = false): Promise<LogTarget | undefined> {
  if (arg !== undefined) {
    const direct = logTargetOf(arg);
    if (direct) return direct;
    const service = isNode(arg) ? serviceOf(arg) : undefined;
    if (service) return serviceRefOf(service);
    void vscode.window.showWarningMessage(`${title} works on a service, an instance or a container.`);
    return undefined;
  }
  const connection = await context.connections.pick({ title });
  if (!connection) return undefined;
  const timeoutMs = context.queryTimeoutMs();
  const service = await pickService(ui, context.sessions, connection, { title, timeoutMs });
  if (!service) return undefined;
  const part = await pickLogTarget(ui, context.sessions, serviceRefOf(service), { title, timeoutMs, containersOnly });
  return part ? logTargetOfRef(part) : undefined;
}

/** A picked part as a log target. */
export function logTargetOfRef(ref: LogTargetRef): LogTarget {
  const base = { connection: ref.connection, database: ref.database, schema: ref.schema, name: ref.name };
  if (!('instanceId' in ref)) return base;
  return 'container' in ref ? { ...base, instanceId: ref.instanceId, container: ref.container } : { ...base, instanceId: ref.instanceId };
}
