/**
 * Platform events of a service (`SPCS_GET_EVENTS` rows) as a list a person reads: newest first, each
 * with its severity icon, where it happened (instance/container), when, and, when a line of the spec
 * explains it, that line: an out-of-memory kill points at the container's memory limit, a failed
 * image pull at `image:`, a failing readiness probe at the probe (the deploy triage's locator,
 * `deploy/triage.ts`, decides both the cause and the place, so the two never disagree).
 *
 * "Listing" is `listEvents`: rows → events → filter → items with labels, tooltips, icons and spec
 * links (the spec parsed once, each container/cause located once), ready for a tree or list view.
 *
 * Pure: no `vscode`, no Snowflake.
 */

import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseSpecDocument, specLanguageId, type SpecDocument } from '../../../server/src/service';
import { failureCause, locateFailure, type FailureCause, type SpecLocation } from '../deploy/triage';
import { canonicalTimeOf, instanceIdOf, textOf, timeOf } from './telemetryRows';

export type EventSeverity = 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';

export interface PlatformEvent {
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** The canonical UTC timestamp (nanoseconds kept), for display and stable ids. */
  readonly timestamp: string;
  readonly severity: EventSeverity;
  /** `CONTAINER.STATUS_CHANGE`, `SERVICE.STATUS_CHANGE`, `SERVICE_INSTANCE.STATUS_CHANGE`, `SERVICE.PROPERTY_CHANGE`. */
  readonly name: string;
  readonly status: string | undefined;
  readonly message: string;
  readonly instanceId: string | undefined;
  readonly container: string | undefined;
}

/** Reads a row of `eventsQuery` (aliases T, SEVERITY, EVENT_NAME, MESSAGE, STATUS, INSTANCE_ID, CONTAINER_NAME). */
export function readEventRow(row: Readonly<Record<string, unknown>>): PlatformEvent | undefined {
  const time = timeOf(row.T);
  const name = textOf(row.EVENT_NAME);
  if (time === undefined || name === undefined) return undefined;
  const severity = normalizeSeverity(textOf(row.SEVERITY));
  const container = textOf(row.CONTAINER_NAME);
  return {
    time,
    timestamp: canonicalTimeOf(row.T),
    severity,
    name,
    status: textOf(row.STATUS) || undefined,
    message: textOf(row.MESSAGE) ?? '',
    instanceId: instanceIdOf(row.INSTANCE_ID),
    container: container === '' ? undefined : container,
  };
}

function normalizeSeverity(value: string | undefined): EventSeverity {
  const upper = (value ?? '').toUpperCase();
  if (upper === 'ERROR' || upper === 'FATAL') return 'ERROR';
  if (upper === 'WARN' || upper === 'WARNING') return 'WARN';
  if (upper === 'DEBUG' || upper === 'TRACE') return 'DEBUG';
  return 'INFO';
}

export interface EventFilter {
  readonly instanceId?: string;
  readonly container?: string;
  /** Only these severities (all when absent or empty). */
  readonly severities?: ReadonlySet<EventSeverity>;
  /** Milliseconds since the epoch, both ends included. */
  readonly start?: number;
  readonly end?: number;
}

/**
 * Whether an event belongs in a filtered list. Filtering by instance keeps that instance's events and
 * its containers'; filtering by container keeps that container's (of the instance, when given).
 */
export function matchesFilter(event: PlatformEvent, filter: EventFilter): boolean {
  if (filter.instanceId !== undefined && event.instanceId !== filter.instanceId) return false;
  if (filter.container !== undefined && event.container !== filter.container) return false;
  if (filter.severities !== undefined && filter.severities.size > 0 && !filter.severities.has(event.severity)) return false;
  if (filter.start !== undefined && event.time < filter.start) return false;
  if (filter.end !== undefined && event.time > filter.end) return false;
  return true;
}

/** Newest first; events of the same moment keep their order (a crash before the restart 1 ms later stays readable). */
export function newestFirst(events: readonly PlatformEvent[]): PlatformEvent[] {
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => (a.event.timestamp < b.event.timestamp ? 1 : a.event.timestamp > b.event.timestamp ? -1 : b.event.time - a.event.time || a.index - b.index))
    .map(({ event }) => event);
}

/** Causes a spec line can explain (an application crash has no one line that explains it). */
const explainable: ReadonlySet<FailureCause> = new Set<FailureCause>(['image', 'outOfMemory', 'readinessProbe', 'livenessProbe']);

/** The failure an event reports, when it reports one of a container. */
export function eventCause(event: PlatformEvent): FailureCause | undefined {
  if (event.container === undefined || event.name !== 'CONTAINER.STATUS_CHANGE') return undefined;
  const cause = failureCause({ message: event.message });
  return explainable.has(cause) ? cause : undefined;
}

/** Finds the spec line explaining a container's failure, parsing the spec once and locating each container/cause once. */
export class SpecLineFinder {
  private readonly doc: SpecDocument;
  private readonly found = new Map<string, SpecLocation | undefined>();

  constructor(spec: { readonly text: string; readonly uri: string }) {
    this.doc = parseSpecDocument(TextDocument.create(spec.uri, specLanguageId, 1, spec.text));
  }

  locate(container: string, cause: FailureCause): SpecLocation | undefined {
    const key = `${cause}\u0000${container}`;
    if (!this.found.has(key)) this.found.set(key, locateFailure(this.doc, container, cause));
    return this.found.get(key);
  }
}

export type EventScope = 'service' | 'instance' | 'container';

export interface EventItem {
  /** Stable across refreshes (time, source and name), for tree ids and selection. */
  readonly id: string;
  readonly label: string;
  /** Short: where and when (`0/vllm · 11:10:00`). */
  readonly description: string;
  /** Plain text, several lines. */
  readonly tooltip: string;
  readonly severity: EventSeverity;
  /** A codicon id and a theme colour id. */
  readonly icon: { readonly id: string; readonly color?: string };
  readonly event: PlatformEvent;
  readonly cause?: FailureCause;
  /** The spec line that explains the event (open it on click). */
  readonly specLocation?: SpecLocation;
}

const icons: Readonly<Record<EventSeverity, { readonly id: string; readonly color?: string }>> = {
  ERROR: { id: 'error', color: 'list.errorForeground' },
  WARN: { id: 'warning', color: 'list.warningForeground' },
  INFO: { id: 'info' },
  DEBUG: { id: 'debug' },
};

const causeWords: Readonly<Record<FailureCause, string>> = {
  image: "the container's image",
  outOfMemory: "the container's memory limit",
  readinessProbe: 'the readiness probe',
  livenessProbe: 'the liveness probe',
  application: 'the container',
  unknown: 'the container',
};

/** Where an event happened, as much as the scope does not already say. */
function source(event: PlatformEvent, scope: EventScope): string {
  if (event.container !== undefined) {
    if (scope === 'container') return '';
    return scope === 'instance' ? event.container : `${event.instanceId ?? '?'}/${event.container}`;
  }
  if (event.instanceId !== undefined) return scope === 'service' ? `instance ${event.instanceId}` : 'instance';
  return 'service';
}

/** `11:10:00` for today's events (UTC), `2025-12-31 12:30:00` for older ones. */
function when(event: PlatformEvent, now: number): string {
  const iso = new Date(event.time).toISOString();
  const sameDay = iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return sameDay ? iso.slice(11, 19) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

export interface ListOptions {
  readonly scope?: EventScope;
  readonly filter?: EventFilter;
  /** The spec the service runs (the local file it was deployed from, or DESCRIBE SERVICE's), for spec links. */
  readonly spec?: { readonly text: string; readonly uri: string };
  /** "Today" for the time column (default now). */
  readonly now?: number;
}

/** Events → filtered, newest-first list items with spec links. */
export function listEvents(events: readonly PlatformEvent[], options: ListOptions = {}): EventItem[] {
  const scope = options.scope ?? 'service';
  const now = options.now ?? Date.now();
  const finder = options.spec ? new SpecLineFinder(options.spec) : undefined;
  const kept = options.filter ? events.filter((event) => matchesFilter(event, options.filter as EventFilter)) : events;
  return newestFirst(kept).map((event) => {
    const cause = eventCause(event);
    const specLocation = cause !== undefined && event.container !== undefined ? finder?.locate(event.container, cause) : undefined;
    const where = source(event, scope);
    const status = event.status === undefined ? '' : `${event.status}: `;
    const lines = [
      `${event.severity} ${event.name}${event.status === undefined ? '' : ` ${event.status}`}`,
      event.message,
      `${where === '' ? '' : `${where.startsWith('instance') || where === 'service' ? '' : 'container '}${where}, `}${event.timestamp.replace('T', ' ').replace(/\.(\d{3})\d*Z$/, '.$1 UTC')}`,
    ];
    if (specLocation) lines.push(`Explained by ${causeWords[cause ?? 'unknown']}: spec line ${specLocation.line}, '${specLocation.lineText}'`);
    return {
      id: `${event.timestamp}|${event.instanceId ?? ''}|${event.container ?? ''}|${event.name}|${event.status ?? ''}`,
      label: `${status}${event.message || event.name}`,
      description: [where, when(event, now)].filter((part) => part !== '').join(' · '),
      tooltip: lines.filter((line) => line !== '').join('\n'),
      severity: event.severity,
      icon: icons[event.severity],
      event,
      ...(cause === undefined ? {} : { cause }),
      ...(specLocation === undefined ? {} : { specLocation }),
    };
  });
}

/** Container failures in a list (out-of-memory kills, crashes, image pulls), newest first: what deploy triage and the job runner add to their reports. */
export function failures(events: readonly PlatformEvent[]): PlatformEvent[] {
  return newestFirst(events.filter((event) => event.container !== undefined && (event.severity === 'ERROR' || event.status === 'FAILED')));
}
