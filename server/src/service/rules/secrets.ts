/**
 * Container secrets and environment variables.
 *
 * Implements S35 (`snowflakeSecret` names exactly one of objectName/objectReference; its absence is
 * the schema's required error), S36 (exactly one of envVarName/directoryPath), S37 (`secretKeyRef`
 * only with envVarName; `access_token` is a warning, since only the WS syntax line lists it), S38
 * (envVarName without secretKeyRef, a warning), S57 (env values that are mappings or lists, a
 * warning) and the information that an env var is one Snowflake injects itself.
 *
 * A secret with neither envVarName nor directoryPath is accepted when the container reads secrets
 * through `{{secret.<name>.<key>}}` references, a form real, working specs use.
 */

import { isMap, isSeq, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import { getPair, isTemplated, keyRange, nodeOffsets, type SpecItem } from '../specDocument';
import type { QuickFix, Rule, RuleContext } from './ruleApi';
import { asMap, itemLabel, mapItemsOf, plainScalar, removePair, replaceScalar, stringValue, valueOf } from './ruleHelpers';

const secretKeys = ['username', 'password', 'secret_string'];
const injectedNames = new Set(['SNOWFLAKE_ACCOUNT', 'SNOWFLAKE_HOST', 'SNOWFLAKE_DATABASE', 'SNOWFLAKE_SCHEMA', 'SNOWFLAKE_SERVICE_NAME']);

export const secretsRule: Rule = {
  name: 'secrets',
  check(ctx) {
    for (const container of ctx.doc.lists.containers) {
      const usesReferences = usesSecretReferences(ctx, container);
      for (const secret of mapItemsOf(valueOf(container.node, 'secrets'))) {
        if (!isTemplated(ctx.doc, secret)) {
          checkSecret(ctx, secret, usesReferences);
        }
      }
      checkEnv(ctx, container);
    }
  },
};

/** Whether the container's text holds a `{{secret.<name>.<key>}}` runtime reference. */
function usesSecretReferences(ctx: RuleContext, container: SpecItem): boolean {
  const offsets = nodeOffsets(container.node);
  if (!offsets) {
    return false;
  }
  return ctx.doc.placeholders.some((placeholder) => placeholder.kind === 'secretReference' && placeholder.start >= offsets[0] && placeholder.end <= offsets[1]);
}

function checkSecret(ctx: RuleContext, secret: YAMLMap<unknown, unknown>, usesReferences: boolean): void {
  const { doc } = ctx;
  const objectPair = getPair(secret, 'snowflakeSecret');
  const object = asMap(objectPair?.value);
  if (objectPair && object && !isTemplated(doc, object)) {
    const name = getPair(object, 'objectName');
    const reference = getPair(object, 'objectReference');
    if (!name && !reference) {
      ctx.report({
        code: 'spcs/secret-object',
        at: keyRange(doc, objectPair),
        message: "'snowflakeSecret' needs 'objectName' (the secret object, e.g. 'db.schema.my_secret') or, in a Native App, 'objectReference'.",
      });
    } else if (name && reference) {
      ctx.report({
        code: 'spcs/secret-object',
        at: keyRange(doc, reference),
        message: "'snowflakeSecret' takes exactly one of 'objectName' and 'objectReference'; remove one of them.",
      });
    }
  }

  const envVarPair = getPair(secret, 'envVarName');
  const directoryPair = getPair(secret, 'directoryPath');
  const keyRefPair = getPair(secret, 'secretKeyRef');
  if (!envVarPair && !directoryPair && !usesReferences && objectPair) {
    // Only with a snowflakeSecret: without one, the schema's "missing snowflakeSecret" error (on the
    // same first key) is the more important message, and this one would hide it.
    ctx.report({
      code: 'spcs/secret-target',
      at: keyRange(doc, objectPair),
      message: "This secret is not delivered anywhere: add 'envVarName' (with 'secretKeyRef') to put one key into an environment variable, or 'directoryPath' to write the secret as files.",
    });
  } else if (envVarPair && directoryPair) {
    ctx.report({
      code: 'spcs/secret-target',
      at: keyRange(doc, directoryPair),
      message: "A secret takes exactly one of 'envVarName' and 'directoryPath'; use two secret entries to have both.",
    });
  }

  if (keyRefPair) {
    checkSecretKeyRef(ctx, secret, keyRefPair, envVarPair !== undefined, directoryPair !== undefined);
  } else if (envVarPair && !isTemplated(doc, envVarPair.value as Node | undefined)) {
    ctx.report({
      code: 'spcs/secret-key-ref',
      at: keyRange(doc, envVarPair),
      severity: 'warning',
      message: "'envVarName' without 'secretKeyRef': say which key of the secret goes into the variable ('secretKeyRef: secret_string' for a GENERIC_STRING secret, 'username' or 'password' for a PASSWORD secret).",
    });
  }
}

function checkSecretKeyRef(ctx: RuleContext, secret: YAMLMap<unknown, unknown>, pair: Pair, hasEnvVar: boolean, hasDirectory: boolean): void {
  const { doc } = ctx;
  if (hasDirectory && !hasEnvVar) {
    const edit = removePair(doc, secret, pair);
    ctx.report({
      code: 'spcs/secret-key-ref',
      at: keyRange(doc, pair),
      message: "'secretKeyRef' goes with 'envVarName' only: with 'directoryPath', every key of the secret is written as a file (username, password, secret_string or access_token). Remove it.",
      fixes: edit ? [{ title: "Remove 'secretKeyRef'", edits: [edit], isPreferred: true }] : undefined,
    });
    return;
  }
  const scalar = plainScalar(doc, pair.value);
  const value = stringValue(doc, scalar);
  if (!scalar || value === undefined || secretKeys.includes(value)) {
    return;
  }
  if (value === 'access_token') {
    ctx.report({
      code: 'spcs/secret-key-ref',
      at: scalar,
      severity: 'warning',
      message: "'secretKeyRef: access_token' appears in one syntax line of the docs, but the documented keys for 'envVarName' are username, password and secret_string; OAuth2 access tokens are documented only as a file with 'directoryPath'.",
    });
    return;
  }
  const caseMatch = secretKeys.find((key) => key === value.toLowerCase());
  const fixes: QuickFix[] = [];
  const edit = caseMatch ? replaceScalar(doc, scalar, caseMatch) : undefined;
  if (edit && caseMatch) {
    fixes.push({ title: `Change to '${caseMatch}'`, edits: [edit], isPreferred: true });
  }
  ctx.report({
    code: 'spcs/secret-key-ref',
    at: scalar,
    message: `'${value}' is not a secret key: use 'username' or 'password' (PASSWORD secrets) or 'secret_string' (GENERIC_STRING secrets).`,
    fixes,
  });
}

function checkEnv(ctx: RuleContext, container: SpecItem): void {
  const { doc } = ctx;
  const env = valueOf(container.node, 'env');
  if (!isMap(env) || isTemplated(doc, env)) {
    return;
  }
  for (const pair of env.items) {
    const value = pair.value;
    if ((isMap(value) || isSeq(value)) && !isTemplated(doc, value)) {
      ctx.report({
        code: 'spcs/env-value-not-scalar',
        at: value,
        message: `The value of '${keyText(pair)}' in ${itemLabel('container', container)} is a ${isMap(value) ? 'mapping' : 'list'}; env values are strings, numbers or booleans. Quote it to pass it as text${isMap(value) ? " ('{…}' is a YAML mapping), or use 'secrets' to pass a secret" : ''}.`,
      });
    }
    const name = keyText(pair);
    if (name !== undefined && injectedNames.has(name) && isScalar(pair.key) && !isTemplated(doc, pair.key)) {
      ctx.report({
        code: 'spcs/env-injected-name',
        at: pair.key,
        message: `Snowflake sets '${name}' in every container itself; which value wins when the spec sets it too is not documented. Read the injected value, or use another name for your own setting.`,
      });
    }
  }
}

function keyText(pair: Pair): string | undefined {
  return isScalar(pair.key) && typeof pair.key.value === 'string' ? pair.key.value : undefined;
}
