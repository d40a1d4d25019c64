/**
 * The face of Snowflake CLI project definitions (`snowflake.yml`) for the rest of the product (the
 * client's "Deploy entity" and "Add to snowflake.yml", the service's own index). The checks, hover,
 * completion and go to definition are reached through `SpcsLanguageService`, never directly.
 *
 * "Deploy entity": `spcsEntityValues(parseSpecDocument(doc))` gives each SPCS entity's values with its
 * mixins merged (and which fields are templated), `resolveSpecFile` where its spec is on disk.
 * "Add to snowflake.yml": `addServiceEntity` (an edit of an existing project) or `newProjectDefinition`
 * (a new file's text). `ProjectFiles` is the port the LSP server and `spcs-lint` implement with the
 * file system.
 */

export { isSpcsEntityType, otherEntityTypes, spcsEntityTypes, type EntityField, type EntityType, type FieldKind, type SpcsEntityType } from './entityModel';
export { mergedKeys, readProjectDefinition, spcsEntityValues, type ProjectDefinitionModel, type ProjectEntity, type ServiceEntityValues } from './projectDefinition';
export { addServiceEntity, isProjectDefinitionUri, newProjectDefinition, serviceEntityYaml, type NewServiceEntity } from './projectEdits';
export { displayPath, resolveRelative, resolveSpecFile, type ProjectFiles, type SpecFileLocation } from './projectFiles';
