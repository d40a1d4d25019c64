import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectDiagnostic, expectNoDiagnostic, validateText, yaml } from '../helpers';

const container = 'spec:\n  containers:\n  - name: app\n    image: /db/schema/repo/app:1\n';

describe('monitoring: S48 storage metrics without a block volume', () => {
  it('informs that the storage group is empty', () => {
    const text = `${container}  platformMonitor:\n    metricConfig:\n      groups:\n      - system\n      - storage\n`;
    expectDiagnostic(validateText(text), 'spcs/storage-metrics-without-block', 'information', 8, 8);
  });

  it('accepts storage with a block volume', () => {
    const text = `${container}  platformMonitor:\n    metricConfig:\n      groups: [storage]\n  volumes:\n  - name: data\n    source: block\n    size: 10Gi\n`;
    expectNoDiagnostic(validateText(text), 'spcs/storage-metrics-without-block');
  });
});

/** An autoscaling block under `spec:` whose policies start on line 6 (written at 6 spaces). */
function policies(lines: string): string {
  return `${container}  resourceManagement:\n    autoScalingPolicies:\n${lines}\n`;
}

const condition = (indent: string, body: string) =>
  `${indent}- metricCondition:\n${indent}    metricName: container.cpu.usage\n${indent}    aggregationType: avg\n${indent}    stabilizationPeriodSecs: 60\n${body}`;

describe('monitoring: S49 anyConditions / allConditions', () => {
  it('warns about scaleUp with allConditions and renames it', () => {
    const text = policies(`      scaleUp:\n        allConditions:\n${condition('        ', '            targetScaling:\n              targetValue: 0.8')}`);
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/autoscaling-conditions', 'warning', 7, 8);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('allConditions', 'anyConditions'));
    expectNoDiagnostic(validateText(fixed), 'spcs/autoscaling-conditions');
  });

  it('accepts the documented pairing', () => {
    const text = policies(
      `      scaleUp:\n        anyConditions:\n${condition('        ', '            targetScaling:\n              targetValue: 0.8')}\n      scaleDown:\n        allConditions:\n${condition('        ', '            targetScaling:\n              targetValue: 0.2')}`,
    );
    const diagnostics = validateText(text);
    expectNoDiagnostic(diagnostics, 'spcs/autoscaling-conditions');
    expectNoDiagnostic(diagnostics, 'spcs/autoscaling-condition');
  });
});

describe('monitoring: S50/S51 metricCondition', () => {
  it('reports a condition with neither targetScaling nor stepScaling, on metricCondition', () => {
    const text = policies(`      scaleUp:\n        anyConditions:\n${condition('        ', '').replace(/\n$/, '')}`);
    expectDiagnostic(validateText(text), 'spcs/autoscaling-condition', 'error', 8, 10);
  });

  it('names the missing required fields too, since it supersedes their schema errors', () => {
    const text = policies('      scaleUp:\n        anyConditions:\n        - metricCondition:\n            metricName: container.cpu.usage');
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/autoscaling-condition', 'error', 8, 10);
    assert.match(diagnostic.message, /also needs 'aggregationType', 'stabilizationPeriodSecs'/);
  });

  it('reports both targetScaling and stepScaling, on stepScaling', () => {
    const body =
      '            targetScaling:\n              targetValue: 0.8\n            stepScaling:\n              adjustmentType: changeInstanceCount\n              scalingSteps:\n              - { lowerBound: 0, upperBound: 1, targetAdjustment: 1 }';
    const text = policies(`      scaleUp:\n        anyConditions:\n${condition('        ', body)}`);
    expectDiagnostic(validateText(text), 'spcs/autoscaling-condition', 'error', 14, 12);
  });

  it('reports stepScaling in a suspend policy', () => {
    const body =
      '            stepScaling:\n              adjustmentType: exactInstanceCount\n              scalingSteps:\n              - { lowerBound: 0, upperBound: 1, targetAdjustment: 0 }';
    const text = policies(`      suspend:\n        allConditions:\n${condition('        ', body)}`);
    expectDiagnostic(validateText(text), 'spcs/autoscaling-condition', 'error', 12, 12);
  });
});

describe('monitoring: nothing on a spec without monitoring settings', () => {
  it('reports nothing', () => {
    const diagnostics = validateText(yaml(container));
    expectNoDiagnostic(diagnostics, 'spcs/storage-metrics-without-block');
    expectNoDiagnostic(diagnostics, 'spcs/autoscaling-condition');
  });
});
