/**
 * What a plan is: the deploy plan (create or upgrade: the SQL, the upgrade diff, the warnings, one
 * sentence for the confirmation) or the refusal that stops it, with everything a person needs to act
 * on it (the diagnostics, the missing template values, the pools that fit).
 *
 * Types only, and the refusal of a pool that does not fit (`poolFit.ts` words it).
 */

import type { Diagnostic } from 'vscode-languageserver-types';
import type { DeployChoices } from '../specs/deployChoices';
import type { DeployTarget, ExistingService } from '../specs/deployedService';
import type { SpecDiff } from '../specs/specDiff';
import { doesNotFitMessage, type PoolFit } from './poolFit';
import type { SpecParser } from './specParser';

export type RefusalKind =
  | 'notASpec'
  | 'errors'
  | 'renderedErrors'
  | 'invalidName'
  | 'missingTemplateValues'
  | 'unsupportedTemplate'
  | 'blockVolumesNeedFixedInstances'
  | 'invalidInstances'
  | 'invalidChoices'
  | 'poolDoesNotFit'
  | 'existingJob'
  | 'existingService'
  | 'differentPool';

export interface Refusal {
  readonly kind: RefusalKind;
  /** What is wrong and what to do, in full sentences. */
  readonly message: string;
  /** `errors`: the error diagnostics of the spec ("Show Problems"); `renderedErrors`: of the rendered spec. */
  readonly diagnostics?: readonly Diagnostic[];
  /** `missingTemplateValues`: the variables to ask for. */
  readonly missing?: readonly string[];
  /** `renderedErrors`: the rendered spec the diagnostics refer to. */
  readonly renderedSpec?: string;
  /** `poolDoesNotFit`: the account's pools that the spec fits, to offer instead. */
  readonly fittingPools?: readonly string[];
}

/** The refusal of a pool the spec does not fit, naming the pools that fit (`poolFit.ts` words it). */
export function poolDoesNotFit(fit: PoolFit, fittingPools: readonly string[]): Refusal {
  return { kind: 'poolDoesNotFit', message: doesNotFitMessage(fit, fittingPools), fittingPools };
}


export type { SpecDiff };

export type DeployPlan =
  | { readonly ok: false; readonly refusal: Refusal }
  | {
      readonly ok: true;
      readonly action: 'create' | 'upgrade';
      readonly target: DeployTarget;
      /** Run in order with `applyPlan`. An upgrade sets changed properties first, then upgrades the spec. */
      readonly sql: readonly string[];
      /** Upgrades only, when DESCRIBE showed the deployed spec. */
      readonly diff?: SpecDiff;
      /** The spec as Snowflake will see it (templates rendered with their values). */
      readonly renderedSpec: string;
      /** Whether the spec is sent as SPECIFICATION_TEMPLATE with USING values. */
      readonly templated: boolean;
      readonly warnings: readonly string[];
      /** Whether to wait for readiness afterwards (not for a suspended service: it starts on resume). */
      readonly expectReady: boolean;
      /** One sentence for the confirmation, e.g. "Create service VLLM in DEMO_GPU_POOL (1 instance)." */
      readonly summary: string;
    };

export interface DeployInput {
  readonly specText: string;
  readonly specUri: string;
  /** The language service's diagnostics of `specText`. */
  readonly diagnostics: readonly Diagnostic[];
  readonly choices: DeployChoices;
  /** DESCRIBE SERVICE of the target, or undefined when it does not exist. */
  readonly existing: ExistingService | undefined;
  /** The fit of the spec on `choices.pool`; `no` refuses the deploy. */
  readonly poolFit?: PoolFit;
  /** The account's other pools that the spec fits, named by a `poolDoesNotFit` refusal. */
  readonly fittingPools?: readonly string[];
  /** The run's parser (each text parsed once); by default one of its own. */
  readonly parse?: SpecParser;
}
