/**
 * Endpoints: S18 (exactly one of port/portRange), S19 (portRange needs TCP and a private endpoint),
 * S20 (public endpoints are HTTP only), S21 (`HTTPS` is a warning, with a fix to `HTTP`), S22 (port
 * and portRange values), S23 (CORS allow-origin list), S24 (CORS on a private endpoint, a warning),
 * and two endpoints on one port.
 *
 * `protocol` defaults to HTTP and `public` to false, so an absent key is read as its default; a
 * templated value is unknown and disables every check that depends on it.
 */

import { isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import { getPair, isTemplated, itemRange, keyRange, nodeRange, type SpecItem } from '../specDocument';
import type { QuickFix, Rule, RuleContext } from './ruleApi';
import { asMap, booleanValue, hasControlStatements, isOpaque, itemLabel, plainScalar, replaceScalar, stringValue, valueOf } from './ruleHelpers';

export const endpointsRule: Rule = {
  name: 'endpoints',
  check(ctx) {
    for (const endpoint of ctx.doc.lists.endpoints) {
      checkEndpoint(ctx, endpoint);
    }
    if (!hasControlStatements(ctx.doc)) {
      checkDuplicatePorts(ctx);
    }
  },
};

interface EndpointFacts {
  /** `HTTP`, `TCP`, ... as written; `HTTP` when absent; undefined when templated or not a string. */
  readonly protocol: string | undefined;
  /** false when absent; undefined when templated or not a boolean. */
  readonly isPublic: boolean | undefined;
}

function facts(ctx: RuleContext, endpoint: YAMLMap<unknown, unknown>): EndpointFacts {
  const protocolPair = getPair(endpoint, 'protocol');
  const publicPair = getPair(endpoint, 'public');
  return {
    protocol: protocolPair ? stringValue(ctx.doc, protocolPair.value)?.toUpperCase() : 'HTTP',
    isPublic: publicPair ? booleanValue(ctx.doc, publicPair.value) : false,
  };
}

function checkEndpoint(ctx: RuleContext, item: SpecItem): void {
  const { doc } = ctx;
  const endpoint = item.node;
  const label = itemLabel('endpoint', item);
  const { protocol, isPublic } = facts(ctx, endpoint);
  const portPair = getPair(endpoint, 'port');
  const rangePair = getPair(endpoint, 'portRange');

  if (!portPair && !rangePair) {
    ctx.report({
      code: 'spcs/port-or-port-range',
      at: item.nameNode ?? itemRange(doc, endpoint),
      message: `${capitalize(label)} has neither 'port' nor 'portRange'; add the port the container listens on, e.g. 'port: 8080'.`,
    });
  } else if (portPair && rangePair) {
    ctx.report({
      code: 'spcs/port-or-port-range',
      at: keyRange(doc, rangePair),
      message: `${capitalize(label)} has both 'port' and 'portRange'; an endpoint takes exactly one of them. Remove one.`,
    });
  }

  if (rangePair) {
    if (protocol !== undefined && protocol !== 'TCP') {
      ctx.report({
        code: 'spcs/port-range-requires-tcp',
        at: keyRange(doc, rangePair),
        message: `'portRange' is only allowed on TCP endpoints, and ${label} uses ${getPair(endpoint, 'protocol') ? `'protocol: ${protocol}'` : 'the default protocol HTTP'}. Add 'protocol: TCP' or use a single 'port'.`,
      });
    }
    if (isPublic === true) {
      ctx.report({
        code: 'spcs/port-range-requires-tcp',
        at: keyRange(doc, rangePair),
        message: `'portRange' is only allowed on endpoints that are not public; ${label} has 'public: true'. Use a single 'port' or make it private.`,
      });
    }
    checkPortRange(ctx, rangePair.value);
  }
  if (portPair) {
    checkPort(ctx, portPair.value);
  }

  const protocolNode = plainScalar(doc, valueOf(endpoint, 'protocol'));
  if (protocolNode && protocol === 'HTTPS') {
    const edit = replaceScalar(doc, protocolNode, 'HTTP');
    ctx.report({
      code: 'spcs/https-protocol',
      at: protocolNode,
      message: "'HTTPS' is not in the current protocol list (TCP, HTTP); use 'HTTP': Snowflake ingress terminates TLS, so public HTTP endpoints are reached over https anyway.",
      fixes: edit ? [{ title: "Change to 'HTTP'", edits: [edit], isPreferred: true }] : undefined,
    });
  }
  if (isPublic === true && protocol === 'TCP' && protocolNode) {
    const edit = replaceScalar(doc, protocolNode, 'HTTP');
    ctx.report({
      code: 'spcs/public-requires-http',
      at: protocolNode,
      message: `Public endpoints support only HTTP, and ${label} is public with 'protocol: TCP'. Use 'protocol: HTTP', or set 'public: false' for service-to-service TCP traffic.`,
      fixes: edit ? [{ title: "Change to 'HTTP'", edits: [edit] }] : undefined,
    });
  }

  checkCors(ctx, endpoint, label, isPublic);
}

function checkPort(ctx: RuleContext, node: unknown): void {
  const scalar = plainScalar(ctx.doc, node);
  if (!scalar || typeof scalar.value !== 'number') {
    // Strings and other types are the schema's (a quoted number is a soft warning there).
    return;
  }
  const port = scalar.value;
  if (Number.isInteger(port) && port >= 1 && port <= 65535) {
    return;
  }
  ctx.report({
    code: 'spcs/invalid-port',
    at: scalar,
    message: `Port ${scalar.source ?? String(port)} is not a TCP port: use a whole number from 1 to 65535.`,
  });
}

function checkPortRange(ctx: RuleContext, node: unknown): void {
  const scalar = plainScalar(ctx.doc, node);
  if (!scalar || typeof scalar.value !== 'string') {
    return;
  }
  const text = scalar.value;
  const match = /^\s*([0-9]+)\s*-\s*([0-9]+)\s*$/.exec(text);
  const low = match?.[1] !== undefined ? Number(match[1]) : undefined;
  const high = match?.[2] !== undefined ? Number(match[2]) : undefined;
  if (low !== undefined && high !== undefined && low >= 1 && high <= 65535 && low <= high) {
    return;
  }
  const fixes: QuickFix[] = [];
  if (low !== undefined && high !== undefined && low > high && low <= 65535 && high >= 1) {
    const edit = replaceScalar(ctx.doc, scalar, `${high}-${low}`);
    if (edit) {
      fixes.push({ title: `Change to '${high}-${low}'`, edits: [edit], isPreferred: true });
    }
  }
  ctx.report({
    code: 'spcs/invalid-port',
    at: scalar,
    message: match
      ? `portRange '${text}' is invalid: both ports must be 1-65535 and the first must not be larger than the second.`
      : `portRange '${text}' is invalid: write it as "<low>-<high>", e.g. "5000-5010".`,
    fixes,
  });
}

const originPattern = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#\s]+(\/?)$/;

function checkCors(ctx: RuleContext, endpoint: YAMLMap<unknown, unknown>, label: string, isPublic: boolean | undefined): void {
  const { doc } = ctx;
  const corsPair = getPair(endpoint, 'corsSettings');
  if (!corsPair || isOpaque(doc, corsPair.value)) {
    return;
  }
  if (isPublic === false) {
    ctx.report({
      code: 'spcs/cors-not-public',
      at: keyRange(doc, corsPair),
      message: `'corsSettings' only applies to public endpoints, and ${label} is not public, so it has no effect. Set 'public: true' or remove 'corsSettings'.`,
    });
  }
  const cors = asMap(corsPair.value);
  if (!cors) {
    return;
  }
  const originPair = getPair(cors, 'Access-Control-Allow-Origin');
  if (!originPair) {
    ctx.report({
      code: 'spcs/cors-allow-origin',
      at: keyRange(doc, corsPair),
      message: "'corsSettings' needs an 'Access-Control-Allow-Origin' list of the origins allowed to call this endpoint, e.g. '- https://example.com'.",
    });
    return;
  }
  const origins = originPair.value;
  if (isTemplated(doc, origins as Node | undefined)) {
    return;
  }
  if (!isSeq(origins) || origins.items.length === 0) {
    if (origins === null || origins === undefined || (isSeq(origins) && origins.items.length === 0) || plainScalar(doc, origins)?.value === null) {
      ctx.report({
        code: 'spcs/cors-allow-origin',
        at: keyRange(doc, originPair),
        message: "'Access-Control-Allow-Origin' is empty; list at least one origin, e.g. '- https://example.com'.",
      });
    }
    // A single string instead of a list is the schema's type error.
    return;
  }
  for (const item of origins.items) {
    const origin = stringValue(doc, item);
    if (origin === undefined) {
      continue;
    }
    checkOrigin(ctx, item as Scalar, origin);
  }
}

function checkOrigin(ctx: RuleContext, scalar: Scalar, origin: string): void {
  if (origin.trim() === '*') {
    ctx.report({
      code: 'spcs/cors-allow-origin',
      at: scalar,
      message: "'*' is not allowed in 'Access-Control-Allow-Origin'; list each allowed origin explicitly, e.g. 'https://example.com'.",
    });
    return;
  }
  const match = originPattern.exec(origin);
  if (match && match[1] === '') {
    return;
  }
  if (match) {
    // Only a trailing `/`: browsers send origins without it, so it would never match.
    const fixed = origin.replace(/\/$/, '');
    const edit = replaceScalar(ctx.doc, scalar, fixed);
    ctx.report({
      code: 'spcs/cors-allow-origin',
      at: scalar,
      severity: 'warning',
      message: `Origin '${origin}' ends with '/'; an origin is a scheme, host and optional port without a path ('${fixed}').`,
      fixes: edit ? [{ title: `Change to '${fixed}'`, edits: [edit], isPreferred: true }] : undefined,
    });
    return;
  }
  const withPath = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#\s]+)[/?#]/.exec(origin);
  const fixed = withPath?.[1];
  const edit = fixed ? replaceScalar(ctx.doc, scalar, fixed) : undefined;
  ctx.report({
    code: 'spcs/cors-allow-origin',
    at: scalar,
    message: fixed
      ? `Origin '${origin}' has a path; an allowed origin is a URL without a path, e.g. '${fixed}'.`
      : `Origin '${origin}' is not a URL; write a scheme and host with an optional port, e.g. 'https://example.com:8443'.`,
    fixes: edit && fixed ? [{ title: `Change to '${fixed}'`, edits: [edit], isPreferred: true }] : undefined,
  });
}

/**
 * Two endpoints on one port. Not documented either way, so a warning: the endpoint name is what
 * service roles and service functions refer to, and one port behind two names is almost always a
 * copy-paste slip.
 */
function checkDuplicatePorts(ctx: RuleContext): void {
  const { doc } = ctx;
  const seen = new Map<number, { scalar: Scalar; label: string }>();
  for (const endpoint of doc.lists.endpoints) {
    const scalar = plainScalar(doc, valueOf(endpoint.node, 'port'));
    if (!scalar || typeof scalar.value !== 'number') {
      continue;
    }
    const earlier = seen.get(scalar.value);
    if (!earlier) {
      seen.set(scalar.value, { scalar, label: itemLabel('endpoint', endpoint) });
      continue;
    }
    const earlierRange = nodeRange(doc, earlier.scalar);
    ctx.report({
      code: 'spcs/duplicate-port',
      at: scalar,
      severity: 'warning',
      message: `Port ${scalar.value} is already used by ${earlier.label}; give each endpoint its own port (one endpoint can be both public and used by other services).`,
      related: earlierRange ? [{ range: earlierRange, message: `${capitalize(earlier.label)} uses this port` }] : undefined,
    });
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
