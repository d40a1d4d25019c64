/**
 * The contract between the validator and the semantic rules.
 *
 * A rule is a pure function of the parsed document and the validation context; it reports
 * diagnostics through `ctx.report`, never throws on odd input (the validator isolates each rule
 * anyway) and never reports on a value that contains a template placeholder (`isTemplated`).
 * Each rule module owns one area of the reference catalogue (§2.1) and says which rule ids it
 * implements in its header.
 */

import type { Node, Pair } from 'yaml';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { DiagnosticCode, Severity } from '../diagnosticCodes';
import type { InstanceFamily } from '../instanceFamilies';
import type { SpecDocument } from '../specDocument';

export interface QuickFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The fix VS Code applies with "Auto Fix" / the one shown first. */
  readonly isPreferred?: boolean;
}

export interface RelatedLocation {
  readonly range: Range;
  readonly message: string;
}

export interface RuleDiagnostic {
  readonly code: DiagnosticCode;
  /** Where the diagnostic goes; a node or pair is converted with `nodeRange`. */
  readonly at: Range | Node | Pair | undefined;
  readonly message: string;
  /** Overrides the code's default severity (e.g. a warning variant of an error code). */
  readonly severity?: Severity;
  readonly fixes?: readonly QuickFix[];
  readonly related?: readonly RelatedLocation[];
  /**
   * Other places this diagnostic is about, used only to merge duplicates: a schema diagnostic is
   * dropped when a rule already reported at its range or at one of its anchors.
   */
  readonly anchors?: readonly Range[];
  /** Marks the range as unnecessary (faded) or deprecated (struck through) in editors that support it. */
  readonly tags?: readonly ('unnecessary' | 'deprecated')[];
}

export interface ValidationSettings {
  /** The instance family to check capacity against (setting `spcs.instanceFamily`); a modeline wins. */
  readonly instanceFamily?: string | undefined;
}

export interface RuleContext {
  readonly doc: SpecDocument;
  readonly settings: ValidationSettings;
  /** The instance family from the modeline or the setting, when it is a known one. */
  readonly family: InstanceFamily | undefined;
  report(diagnostic: RuleDiagnostic): void;
}

export interface Rule {
  /** A short name for logs and tests, e.g. `endpoints`. */
  readonly name: string;
  check(ctx: RuleContext): void;
}
