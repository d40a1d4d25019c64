/**
 * Which SPCS document a parsed YAML document is: a service specification, a gateway specification, or
 * a Snowflake CLI project definition (`snowflake.yml`), or none of them (other YAML is never reported on).
 *
 * Owns: the precedence of the signs. A project definition is known by its file name alone, and is
 * then never a spec, whatever its language or content. A gateway spec is known by its content
 * (`spec.type: traffic_split | shadow_traffic`, or `spec` with `split_type` / `targets`) or by its file
 * name (`*.gateway.yaml`), unless its content says service spec (`spec.containers`): content that says
 * which one it is wins over a name. A service spec is known by its content or by being opened as
 * `spcs-spec`. When the YAML has errors the tree may have lost what says so, and the text decides
 * (`specDetection.ts`), as the client decides.
 *
 * Must not: import the parsed-document module at run time (it asks this one while it assembles a
 * document) or do I/O.
 */

import { isScalar, type YAMLMap } from 'yaml';
import { isGatewaySpecFileName, isProjectDefinitionFileName, looksLikeGatewaySpec } from './specDetection';

export type DocumentKind = 'serviceSpec' | 'gatewaySpec' | 'projectDefinition';

export interface DocumentSigns {
  readonly uri: string;
  /** The document is open in the `spcs-spec` language (a `*.spcs.yaml` file, or switched by the client). */
  readonly specLanguage: boolean;
  /** `spec:` when it is a mapping. */
  readonly spec: YAMLMap<unknown, unknown> | undefined;
  readonly text: string;
  /** The YAML has errors: the text decides what the tree cannot. */
  readonly unreadable: boolean;
  /** The tree says service spec (`spec.containers` or the legacy `spec.container`), or the text does. */
  readonly looksLikeServiceSpec: boolean;
}

const gatewayTypes = new Set(['traffic_split', 'shadow_traffic']);

export function decideDocumentKind(signs: DocumentSigns): DocumentKind | undefined {
  if (isProjectDefinitionFileName(uriPath(signs.uri))) {
    return 'projectDefinition';
  }
  if (!signs.looksLikeServiceSpec && (specSaysGateway(signs.spec) || (signs.unreadable && looksLikeGatewaySpec(signs.text)) || isGatewaySpecFileName(uriPath(signs.uri)))) {
    return 'gatewaySpec';
  }
  return signs.specLanguage || signs.looksLikeServiceSpec ? 'serviceSpec' : undefined;
}

function specSaysGateway(spec: YAMLMap<unknown, unknown> | undefined): boolean {
  if (!spec) {
    return false;
  }
  const type = spec.get('type', true);
  if (isScalar(type) && typeof type.value === 'string' && gatewayTypes.has(type.value.trim().toLowerCase())) {
    return true;
  }
  return spec.has('split_type') || spec.has('targets');
}

/** The path of a URI without its query or fragment (`file:///p/snowflake.yml#rendered` → `…/snowflake.yml`). */
function uriPath(uri: string): string {
  const cut = uri.search(/[?#]/);
  return cut === -1 ? uri : uri.slice(0, cut);
}
