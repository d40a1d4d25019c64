/**
 * Where logs are shown: one plain OutputChannel per followed target (searchable and savable like any
 * output), one per one-shot view ("recent", "previous run"), and a status bar item that counts the
 * running follows and stops them on click.
 *
 * Owns: the follows' lifetimes (start, reuse when the same target is followed again, stop one, stop
 * those of a connection that disappeared, stop all on dispose) and writing into the channels: each
 * slice the follower hands over is appended as one string, never a call per line, so a chatty
 * service (10,000 lines a second) does not hold the extension host up. Status changes that matter
 * (paused for a retry, resumed, stopped) become notice lines in the channel.
 *
 * Each view keeps a bounded copy of what it shows (`LineBuffer`): OutputChannel text cannot be read
 * back through the API, and the handle a follow returns (`lines()`, `onDidAppend`, `stop()`) is how
 * callers of `spcs.logs.follow` through `executeCommand` (tests, the deploy flow) see the logs.
 *
 * Must not: poll or dedupe (`logFollower.ts`), or ask the user anything (`logs/logCommands.ts`).
 */

import * as vscode from 'vscode';
import type { SnowflakeError } from '../snowflake/errors';
import type { SnowflakeSessions } from '../snowflake/session';
import { LogFollower, type FollowStatus } from './logFollower';
import type { LogLine } from './logLines';
import { snowflakeLogSource } from './logSql';
import { batchText, channelName, followTargetOf, LineBuffer, statusNotice, targetKey, targetLabel, viewNotice, type LogTarget, type LogViewMode } from './logView';

export interface LogSettings {
  readonly tailLines: number;
  readonly includeTimestamps: boolean;
  /** Longest wait between two polls while nothing arrives. */
  readonly maxPollMs: number;
  /** Bound on each statement. */
  readonly queryTimeoutMs: number;
}

/** What `spcs.logs.follow` returns: the follow's view of its channel. */
export interface FollowHandle {
  readonly target: LogTarget;
  readonly channelName: string;
  /** The lines the channel shows (the last 10,000), as shown. */
  lines(): string[];
  /** The same lines with their timestamps and sources. */
  entries(): LogLine[];
  status(): FollowStatus;
  readonly running: boolean;
  /** Fires after lines (or notices) were appended, and when the follow stops. */
  readonly onDidAppend: vscode.Event<void>;
  stop(): Promise<void>;
}

/** What `spcs.logs.show` / `spcs.logs.showPrevious` return. */
export interface LogSnapshot {
  readonly target: LogTarget;
  readonly channelName: string;
  lines(): string[];
  entries(): LogLine[];
}

const bufferLines = 10_000;
const maxPollTimeoutMs = 30_000;

class Follow implements FollowHandle {
  private follower: LogFollower | undefined;
  private readonly buffer = new LineBuffer(bufferLines);
  private readonly appended = new vscode.EventEmitter<void>();
  readonly onDidAppend = this.appended.event;
  private lastStatus: FollowStatus | undefined;
  private disposed = false;

  constructor(
    readonly target: LogTarget,
    readonly channelName: string,
    private readonly channel: vscode.OutputChannel,
    private readonly sessions: SnowflakeSessions,
    private readonly settings: () => LogSettings,
    private readonly onEnded: (follow: Follow, error: SnowflakeError | undefined) => void,
  ) {}

  get running(): boolean {
    return this.follower !== undefined && this.follower.status.state !== 'stopped';
  }

  lines(): string[] {
    return this.buffer.entries().map((line) => line.display);
  }

  entries(): LogLine[] {
    return this.buffer.entries();
  }

  status(): FollowStatus {
    return this.follower?.status ?? { state: 'stopped' };
  }

  start(): void {
    if (this.running || this.disposed) return;
    const settings = this.settings();
    // A poll that hangs (a stale session, a network the driver keeps retrying) is better abandoned
    // and retried than waited for: the follower keeps its cursors, so nothing is lost.
    const source = snowflakeLogSource(this.sessions, this.target.connection, { timeoutMs: Math.min(settings.queryTimeoutMs, maxPollTimeoutMs) });
    const scope = this.target.container !== undefined ? 'container' : this.target.instanceId !== undefined ? 'instance' : 'service';
    const start = settings.tailLines > 0 ? `the last ${settings.tailLines} lines of each container, then new lines as they arrive` : 'new lines as they arrive';
    this.write([viewNotice(`Following ${scope} ${targetLabel(this.target)} (${this.target.database}.${this.target.schema}, connection "${this.target.connection}"): ${start}.`)]);
    this.lastStatus = undefined;
    const follower = new LogFollower({
      query: source.query,
      listContainers: source.listContainers,
      serviceStatus: source.serviceStatus,
      target: followTargetOf(this.target),
      tailLines: settings.tailLines,
      includeTimestamps: settings.includeTimestamps,
      interval: { minMs: 2000, maxMs: Math.max(2000, settings.maxPollMs) },
      sink: (lines) => this.write(lines),
      onStatus: (status) => {
        const notice = statusNotice(status, this.lastStatus, new Date());
        this.lastStatus = status;
        if (notice !== undefined && !this.disposed) this.write([viewNotice(notice)]);
      },
    });
    this.follower = follower;
    void follower.finished.then((error) => {
      if (this.follower === follower) this.onEnded(this, error);
      this.appended.fire();
    });
    follower.start();
  }

  private write(lines: readonly LogLine[]): void {
    if (this.disposed || lines.length === 0) return;
    this.buffer.push(lines);
    this.channel.append(batchText(lines));
    this.appended.fire();
  }

  show(): void {
    this.channel.show(true);
  }

  async stop(): Promise<void> {
    await this.follower?.stop();
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.disposed = true;
    this.appended.dispose();
    this.channel.dispose();
  }
}

interface Snapshot extends LogSnapshot {
  readonly channel: vscode.OutputChannel;
  readonly buffer: LineBuffer;
}

export class LogChannels implements vscode.Disposable {
  private readonly follows = new Map<string, Follow>();
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly statusItem: vscode.StatusBarItem;
  private disposed = false;

  constructor(
    private readonly sessions: SnowflakeSessions,
    private readonly settings: () => LogSettings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.statusItem = vscode.window.createStatusBarItem('spcs.logs.follows', vscode.StatusBarAlignment.Left, 10);
    this.statusItem.name = 'SPCS Log Follows';
    this.statusItem.command = 'spcs.logs.stop';
  }

  /** Follows `target`, or reveals the follow that already shows it (starting it again if it had stopped). */
  follow(target: LogTarget, options: { readonly reveal?: boolean } = {}): FollowHandle {
    if (this.disposed) throw new Error('the SPCS log views are closed');
    const key = targetKey(target, 'follow');
    let follow = this.follows.get(key);
    if (!follow) {
      const name = this.uniqueName(target, 'follow', key);
      const channel = vscode.window.createOutputChannel(name);
      follow = new Follow(target, name, channel, this.sessions, this.settings, (ended, error) => this.ended(ended, error));
      this.follows.set(key, follow);
    }
    if (!follow.running) {
      follow.start();
      this.log.info(`logs: following ${follow.channelName}`);
    }
    if (options.reveal !== false) follow.show();
    this.updateStatus();
    return follow;
  }

  running(): FollowHandle[] {
    return [...this.follows.values()].filter((follow) => follow.running);
  }

  /** The follow of `target`, if any (running or not). */
  find(target: LogTarget): FollowHandle | undefined {
    return this.follows.get(targetKey(target, 'follow'));
  }

  async stop(handles: readonly FollowHandle[]): Promise<number> {
    const running = handles.filter((handle) => handle.running);
    await Promise.all(running.map((handle) => handle.stop()));
    this.updateStatus();
    return running.length;
  }

  /** Stops the follows whose connection is no longer configured. */
  async stopMissingConnections(present: ReadonlySet<string>): Promise<void> {
    const gone = this.running().filter((follow) => !present.has(follow.target.connection));
    if (gone.length > 0) {
      this.log.info(`logs: stopping ${gone.length} follow(s) of connections that are gone`);
      await this.stop(gone);
    }
  }

  /** Writes a one-shot view (recent lines, previous run) into its own channel, replacing what it showed. */
  showSnapshot(target: LogTarget, mode: Exclude<LogViewMode, 'follow'>, header: string, lines: readonly LogLine[]): LogSnapshot {
    const key = targetKey(target, mode);
    let snapshot = this.snapshots.get(key);
    if (!snapshot) {
      const name = this.uniqueName(target, mode, key);
      const channel = vscode.window.createOutputChannel(name);
      const buffer = new LineBuffer(bufferLines);
      snapshot = { target, channelName: name, channel, buffer, lines: () => buffer.entries().map((line) => line.display), entries: () => buffer.entries() };
      this.snapshots.set(key, snapshot);
    }
    snapshot.channel.clear();
    snapshot.buffer.clear();
    const all = [viewNotice(header), ...lines];
    snapshot.buffer.push(all);
    snapshot.channel.append(batchText(all));
    snapshot.channel.show(true);
    return snapshot;
  }

  /** The channel name for a new view: qualified when another target of the same label already has the plain one. */
  private uniqueName(target: LogTarget, mode: LogViewMode, key: string): string {
    const plain = channelName(target, mode);
    const taken = [...this.follows.entries(), ...this.snapshots.entries()].some(([otherKey, other]) => otherKey !== key && other.channelName === plain);
    return taken ? channelName(target, mode, true) : plain;
  }

  private ended(follow: Follow, error: SnowflakeError | undefined): void {
    this.updateStatus();
    if (error && !this.disposed) {
      this.log.warn(`logs: ${follow.channelName} stopped: ${error.kind}: ${error.message}`);
      void vscode.window.showWarningMessage(`Stopped following the logs of ${targetLabel(follow.target)}: ${error.message}`, 'Show Logs').then((choice) => choice && follow.show());
    }
  }

  private updateStatus(): void {
    if (this.disposed) return;
    const count = this.running().length;
    if (count === 0) {
      this.statusItem.hide();
      return;
    }
    this.statusItem.text = `$(output) ${count}`;
    this.statusItem.tooltip = `SPCS: following the logs of ${this.running()
      .map((follow) => targetLabel(follow.target))
      .join(', ')}. Click to stop.`;
    this.statusItem.show();
  }

  dispose(): void {
    this.disposed = true;
    this.statusItem.dispose();
    for (const follow of this.follows.values()) void follow.dispose();
    for (const snapshot of this.snapshots.values()) snapshot.channel.dispose();
    this.follows.clear();
    this.snapshots.clear();
  }
}
