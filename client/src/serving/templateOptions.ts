/**
 * The templates offered for a pool ("New Service Spec…" and the template step of "Serve a Model…"):
 * each sized for the pool's instance family and judged by `poolFit` (the one fit answer), or refused
 * with the reason (a GPU server on a family without GPUs).
 *
 * Owns: the stand-ins a template is sized with before its image and model are chosen (they are
 * never written to a file). Must not: import `vscode`.
 */

import type { InstanceFamily } from '../../../server/src/service';
import { poolFit, type FamilyTable, type PoolFit, type PoolInfo } from '../deploy/poolFit';
import { renderTemplate, templateImagePath, type ModelWeights } from './renderTemplate';
import { servingTemplates, type ServingTemplate } from './templateCatalog';

export interface TemplateOption {
  readonly template: ServingTemplate;
  /** poolFit of the template sized for the pool's family; undefined when refused. */
  readonly fit: PoolFit | undefined;
  readonly refusal?: string;
  /** "1 × A10G GPU · 4 of 6 vCPU · …". */
  readonly sizing?: string;
}

/** The image path a template is sized with before its image is chosen. */
export function sizingImage(template: ServingTemplate): string {
  return templateImagePath(template, '/serve/sizing/images');
}

/** The weights a model server is sized with before its model is chosen (one stage volume, like the real one). */
export const sizingWeights: ModelWeights = { kind: 'stage', stage: '@SERVE.SIZING.WEIGHTS', path: 'model' };

export function templateOptions(pool: PoolInfo, family: InstanceFamily, families: FamilyTable | undefined, options: { readonly kinds?: readonly ServingTemplate['kind'][] } = {}): TemplateOption[] {
  const kinds = options.kinds ?? ['service', 'job'];
  return servingTemplates
    .filter((template) => kinds.includes(template.kind))
    .map((template): TemplateOption => {
      const rendered = renderTemplate({
        template: template.id,
        family,
        pool: pool.name,
        serviceName: template.defaultName,
        image: sizingImage(template),
        ...(template.servesModel ? { weights: sizingWeights } : {}),
      });
      if (!rendered.ok) return { template, fit: undefined, refusal: rendered.message };
      return { template, fit: poolFit(rendered.spec, pool, families, { uri: `untitled:${template.id}.spcs.yaml` }), sizing: rendered.sizing.summary };
    });
}
