/**
 * The one face of the language service: what the VS Code client and the emulator may use. They
 * import from here only (a lint rule forbids deeper paths), so the service can reorganise its inside
 * freely; what is exported here is a contract, and anything new a caller needs is added here first.
 *
 * - parse a spec once (`parseSpecDocument` → `SpecDocument`) and pass the document on; locate nodes;
 * - validate (`validateSpec`, or the cached `SpcsLanguageService`), and the diagnostic codes;
 * - measure what containers request (`measureResources`) and whether a spec fits an instance family
 *   (`fitSpecToFamily`, with the resources rule's words in `capacityDiagnostics`);
 * - the instance-family table, quantities, modelines, template placeholders, stage references;
 * - gateway specs (`readGatewaySpec`, the weight arithmetic of "Shift Traffic…") and Snowflake CLI
 *   project definitions (`spcsEntityValues`, `resolveSpecFile`, `addServiceEntity`) for the client's
 *   gateway and snowflake.yml commands.
 * - text edits that add to a spec without moving its other lines (the quick fixes' helpers).
 *
 * The LSP extension's messages (`../lspExtension.ts`) are not part of the service: the client imports
 * them directly. Must not: export anything that holds state beyond `SpcsLanguageService` instances.
 */

export { specLanguageId } from '../lspExtension';
export {
  getMap,
  getPair,
  getSeq,
  isSpecDocument,
  isTemplated,
  keyRange,
  nodeOffsets,
  nodeRange,
  parseSpecDocument,
  type SpecDocument,
  type SpecItem,
} from './specDocument';
export { validateSpec, type DiagnosticData, type ValidateOptions } from './validate';
export { SpcsLanguageService, type LanguageServiceOptions, type ValidationSettings } from './languageService';
export {
  catalogueCode,
  diagnosticCodes,
  familyCapacityErrorCodes,
  isDiagnosticCode,
  isFamilyCapacityError,
  publishedCode,
  type DiagnosticCode,
} from './diagnosticCodes';
export type { RuleDiagnostic, QuickFix } from './rules/ruleApi';
export { measureResources, type ContainerResources, type ResourceMeasurement } from './rules/containerResources';
export {
  exceedsNode,
  fitSpecToFamily,
  type CappedLimit,
  type FamilyCapacity,
  type FitAmount,
  type FitProblem,
  type FitResource,
  type FitUnknown,
  type SpecFit,
} from './fit';
export { capacityDiagnostics } from './rules/resources';
// Text edits to a spec that keep its indentation and every other line in place (the quick fixes' own
// helpers; the client's metric-groups fix builds on them).
export { appendBlockToMap, appendToMap, columnOf, lineEndOffset, newlineOf, range as offsetRange, replaceNodeText } from './rules/ruleHelpers';
export { volumeKind, type VolumeKind } from './rules/volumes';
export { familyDescription, findInstanceFamily, instanceFamilies, type InstanceFamily } from './instanceFamilies';
export { bytesPerGiB, formatGiB, formatNumber, parseCpu, parseMemory } from './quantities';
export { parseModeline, type Modeline, type ModelineKey, type ModelineValue } from './modeline';
export { findPlaceholders, type Placeholder, type PlaceholderKind } from './templates';
export { stageNameText } from './catalog/references';
export {
  formatEndpointReference,
  parseEndpointReference,
  readGatewaySpec,
  rebalanceWeights,
  validateGatewaySpec,
  shiftWeight,
  weightEdits,
  type EndpointReference,
  type GatewayEndpoint,
  type GatewayEndpointRole,
  type GatewaySpecModel,
  type GatewayType,
} from './gateway';
export {
  addServiceEntity,
  displayPath,
  isProjectDefinitionUri,
  newProjectDefinition,
  readProjectDefinition,
  resolveRelative,
  resolveSpecFile,
  spcsEntityValues,
  type NewServiceEntity,
  type ProjectDefinitionModel,
  type ProjectFiles,
  type ServiceEntityValues,
  type SpecFileLocation,
} from './project';
