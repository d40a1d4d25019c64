/**
 * Which instance family a spec's capacity checks use: the `# spcs: instance-family=…` modeline when the
 * spec has one, else the `spcs.instanceFamily` setting. Validation, completion and hover all ask here,
 * so they always agree. An unknown name gives undefined (validation says so on the modeline).
 */

import { findInstanceFamily, parseInstanceFamilyModeline, type InstanceFamily } from './instanceFamilies';
import type { ValidationSettings } from './rules/ruleApi';
import type { SpecDocument } from './specDocument';

export function familyName(doc: Pick<SpecDocument, 'text'>, settings: ValidationSettings): string | undefined {
  return parseInstanceFamilyModeline(doc.text)?.family ?? settings.instanceFamily;
}

export function specFamily(doc: Pick<SpecDocument, 'text'>, settings: ValidationSettings): InstanceFamily | undefined {
  const name = familyName(doc, settings);
  return name ? findInstanceFamily(name) : undefined;
}
