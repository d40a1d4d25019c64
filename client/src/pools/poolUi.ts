/**
 * What the compute pool actions (create, edit, stop all, drop) are given: the questions they ask
 * through an injected `PoolUi`, the sessions, a log, and where they tell the views what changed; and
 * the one outcome each returns. The VS Code side implements `PoolUi` with QuickPicks, InputBoxes and
 * modal dialogs; node:test tests answer it from a script.
 *
 * Owns: the contract only. Must not: import `vscode`.
 */

import type { AccountChange } from '../model/featureContext';
import type { SnowflakeError } from '../snowflake/errors';
import type { SnowflakeSessions } from '../snowflake/session';
import type { FamilyRow } from './familyRows';

/** MIN_NODES and MAX_NODES. */
export interface NodeRange {
  readonly min: number;
  readonly max: number;
}

/** The settings of a new pool, as CREATE COMPUTE POOL takes them. */
export interface PoolSettings {
  /** As typed (`llm_pool` is LLM_POOL). */
  readonly name: string;
  readonly instanceFamily: string;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly autoResume: boolean;
  /** 0: never suspends. */
  readonly autoSuspendSecs: number;
  readonly initiallySuspended: boolean;
  /** Empty: no comment. */
  readonly comment: string;
}

/** A service or job running in a pool, as SHOW SERVICES IN COMPUTE POOL lists it. */
export interface PoolWorkload {
  /** `DB.SCHEMA.NAME`. */
  readonly name: string;
  readonly isJob: boolean;
  readonly status: string;
}

/** What a destructive action asks the user to type, and what it will do. */
export interface TypedConfirmation {
  /** "Drop compute pool", "Stop all services in". */
  readonly action: string;
  /** The exact name to type. */
  readonly name: string;
  /** One sentence each: what goes, what stays, what cannot be undone. */
  readonly consequences: readonly string[];
  /** The statements that will be sent, in order. */
  readonly statements: readonly string[];
}

/**
 * Every question of the pool actions. A question resolves to `undefined` when the user cancels
 * (Escape): the action stops and sends nothing more. The `check` functions are the InputBox
 * validations (a message, or undefined when the text is fine); the action checks the answer again.
 */
export interface PoolUi {
  /** The instance family picker: one row per family with its capacity and each open spec's fit. */
  pickFamily(rows: readonly FamilyRow[], notes: readonly string[]): Promise<FamilyRow | undefined>;
  askName(current: string, check: (text: string) => string | undefined): Promise<string | undefined>;
  /** "1" or "1-3". */
  askNodes(current: NodeRange, check: (text: string) => string | undefined): Promise<NodeRange | undefined>;
  askAutoResume(current: boolean): Promise<boolean | undefined>;
  askAutoSuspendSecs(current: number, check: (text: string) => string | undefined): Promise<number | undefined>;
  askInitiallySuspended(current: boolean): Promise<boolean | undefined>;
  /** '' for no comment. */
  askComment(current: string): Promise<string | undefined>;
  /** Shows the statement before it is sent (modal, "Create" / "Apply"); false sends nothing. */
  confirmStatement(summary: string, statement: string): Promise<boolean>;
  /** Asks the user to type the name; resolves to what was typed (the action compares it). */
  askTypedName(confirmation: TypedConfirmation): Promise<string | undefined>;
  /**
   * The pool still has services, so DROP COMPUTE POOL would be refused: offers to stop them first
   * (STOP ALL, then DROP). `true` only for that choice.
   */
  chooseStopAllFirst(pool: string, services: readonly PoolWorkload[], hiddenServices: number, jobs: readonly PoolWorkload[]): Promise<boolean>;
  /** Runs `task` under a progress notification. */
  progress<T>(title: string, task: () => Promise<T>): Promise<T>;
}

export interface PoolLog {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

export interface PoolDeps {
  readonly sessions: Pick<SnowflakeSessions, 'get' | 'execute'>;
  readonly ui: PoolUi;
  readonly log: PoolLog;
  /** Bound on each statement (`spcs.snowflake.queryTimeout`). */
  readonly queryTimeoutMs: number;
  /** Tells the views what changed (absent: nobody listens). */
  readonly changed?: (change: AccountChange) => void;
}

export type PoolOutcome =
  /** The statements went through. */
  | { readonly state: 'created' | 'changed' | 'stopped' | 'dropped'; readonly pool: string; readonly sent: readonly string[]; readonly message: string }
  /** Nothing to do: the pool already exists (create) or already has these settings (edit). */
  | { readonly state: 'exists' | 'unchanged'; readonly pool: string; readonly message: string }
  /** The user cancelled; nothing was sent. */
  | { readonly state: 'cancelled'; readonly message: string }
  /** Refused before anything was sent (a name Snowflake would refuse, a pool that is not there). */
  | { readonly state: 'refused'; readonly message: string }
  /**
   * Snowflake refused a statement. `sent` holds what went through before it; `halfDone` says that
   * something was changed (STOP ALL went through, DROP did not), and the message says how to finish.
   * `grant` is the GRANT that gives the missing privilege, when that was the cause.
   */
  | { readonly state: 'failed'; readonly pool: string; readonly error: SnowflakeError; readonly sent: readonly string[]; readonly halfDone: boolean; readonly grant?: string; readonly message: string };
