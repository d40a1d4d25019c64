/**
 * What the extension-host suites report to their runners (no `vscode` import: the runners load it in
 * plain Node). The suites print one line per result through the console, marked with `reportPrefix`,
 * and keep the results in the JSON file that `SPCS_TEST_RESULTS` names.
 */

export const reportPrefix = 'spcs-test: ';

export interface TestResult {
  readonly title: string;
  readonly state: 'passed' | 'failed';
  readonly durationMs: number;
  readonly error?: string;
}

export interface ResultsFile {
  readonly passed: number;
  readonly failed: number;
  readonly tests: readonly TestResult[];
}
