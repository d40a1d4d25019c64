/**
 * `mountSessionToken` and `sessionTokenConfig` (2026 additions): S39 (no sessionTokenConfig when
 * the token is not mounted), S40 (not empty), S41 (`permission` needs `path`), S42 (`permission` is
 * a quoted octal string no wider than "0644" that keeps owner read) and S43 (`path` is absolute,
 * normalized, uses only `[A-Za-z0-9/_.-]`, and does not overlap a volume or secret mount of the
 * same container). All of them are stated explicitly in the specification reference, hence errors.
 */

import { isMap, type Node, type Pair } from 'yaml';
import { getPair, isTemplated, keyRange, type SpecItem } from '../specDocument';
import type { QuickFix, Rule, RuleContext } from './ruleApi';
import { booleanValue, mapItemsOf, pathsOverlap, plainScalar, removePair, replaceNodeText, replaceScalar, stringValue, valueOf } from './ruleHelpers';

const code = 'spcs/session-token-config';

export const sessionTokenRule: Rule = {
  name: 'sessionToken',
  check(ctx) {
    for (const container of ctx.doc.lists.containers) {
      checkContainer(ctx, container);
    }
  },
};

function checkContainer(ctx: RuleContext, container: SpecItem): void {
  const { doc } = ctx;
  const configPair = getPair(container.node, 'sessionTokenConfig');
  if (!configPair || isTemplated(doc, configPair.value as Node | undefined)) {
    return;
  }
  if (booleanValue(doc, valueOf(container.node, 'mountSessionToken')) === false) {
    ctx.report({
      code,
      at: keyRange(doc, configPair),
      message: "'sessionTokenConfig' is not allowed with 'mountSessionToken: false': no token is mounted to configure. Remove one of the two.",
    });
    return;
  }
  const config = configPair.value;
  const empty = config === null || plainScalar(doc, config)?.value === null || (isMap(config) && config.items.length === 0);
  if (empty) {
    const edit = removePair(doc, container.node, configPair);
    ctx.report({
      code,
      at: keyRange(doc, configPair),
      message: "'sessionTokenConfig' is empty, which Snowflake rejects: set at least one of 'path', 'permission' and 'mountConnectionConfig', or remove it to keep the default token at '/snowflake/session/token'.",
      fixes: edit ? [{ title: "Remove the empty 'sessionTokenConfig'", edits: [edit], isPreferred: true }] : undefined,
    });
    return;
  }
  if (!isMap(config)) {
    return;
  }
  const map = config;
  const pathPair = getPair(map, 'path');
  const permissionPair = getPair(map, 'permission');
  if (permissionPair) {
    if (!pathPair) {
      ctx.report({
        code,
        at: keyRange(doc, permissionPair),
        message: "'permission' applies only together with 'path' in the same 'sessionTokenConfig'; add 'path:' (the directory for the token file) or remove 'permission'.",
      });
    }
    checkPermission(ctx, permissionPair);
  }
  if (pathPair) {
    checkPath(ctx, container, pathPair);
  }
}

function checkPermission(ctx: RuleContext, pair: Pair): void {
  const { doc } = ctx;
  const scalar = plainScalar(doc, pair.value);
  if (!scalar || scalar.value === null) {
    return;
  }
  if (typeof scalar.value === 'number') {
    const digits = (scalar.source ?? String(scalar.value)).replace(/^0o/, '');
    const fixed = /^0?[0-7]{3}$/.test(digits) ? digits.padStart(4, '0') : undefined;
    const edit = fixed ? replaceNodeText(doc, scalar, `"${fixed}"`) : undefined;
    ctx.report({
      code,
      at: scalar,
      message: `'permission' must be a quoted string such as "0600": unquoted, '${scalar.source ?? String(scalar.value)}' is read as the number ${scalar.value}, which Snowflake rejects.`,
      fixes: edit && fixed ? [{ title: `Quote as "${fixed}"`, edits: [edit], isPreferred: true }] : undefined,
    });
    return;
  }
  if (typeof scalar.value !== 'string') {
    return;
  }
  const text = scalar.value;
  if (!/^0[0-7]{3}$/.test(text)) {
    const fixed = /^[0-7]{3}$/.test(text) ? `0${text}` : undefined;
    const edit = fixed ? replaceScalar(doc, scalar, fixed) : undefined;
    ctx.report({
      code,
      at: scalar,
      message: `'permission' '${text}' is not a four-digit octal mode with a leading 0, such as "0600" or "0644".`,
      fixes: edit && fixed ? [{ title: `Change to "${fixed}"`, edits: [edit], isPreferred: true }] : undefined,
    });
    return;
  }
  const mode = parseInt(text, 8);
  if ((mode & ~0o644) !== 0) {
    ctx.report({
      code,
      at: scalar,
      message: `'permission' ${text} grants more than '0644' allows (no write for group/others, no execute); use e.g. "0600" or "0644".`,
    });
  } else if ((mode & 0o400) === 0) {
    ctx.report({
      code,
      at: scalar,
      message: `'permission' ${text} removes the owner's read permission, which the token file must keep; use e.g. "0400" or "0600".`,
    });
  }
}

const allowedCharacters = /^[A-Za-z0-9/_.-]*$/;

/** `path` problems in the order the docs list them; undefined when the path is fine. */
function pathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) {
    return "must be an absolute directory path (starting with '/')";
  }
  if (!allowedCharacters.test(path)) {
    return "may use only letters, digits, '/', '-', '_' and '.'";
  }
  if (path.includes('//')) {
    return 'must not contain repeated slashes';
  }
  if (path.split('/').some((segment) => segment === '.' || segment === '..')) {
    return "must not contain '.' or '..' segments";
  }
  if (path.endsWith('/')) {
    return "must not end with '/'";
  }
  return undefined;
}

function normalizePath(path: string): string {
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  return `/${segments.join('/')}`;
}

function checkPath(ctx: RuleContext, container: SpecItem, pair: Pair): void {
  const { doc } = ctx;
  const scalar = plainScalar(doc, pair.value);
  const path = stringValue(doc, scalar);
  if (!scalar || path === undefined) {
    return;
  }
  const problem = pathProblem(path);
  if (problem) {
    const normalized = normalizePath(path);
    const fixes: QuickFix[] = [];
    if (normalized !== path && normalized !== '/' && pathProblem(normalized) === undefined && path.startsWith('/') && !path.split('/').includes('..')) {
      const edit = replaceScalar(doc, scalar, normalized);
      if (edit) {
        fixes.push({ title: `Change to '${normalized}'`, edits: [edit], isPreferred: true });
      }
    }
    ctx.report({ code, at: scalar, message: `'sessionTokenConfig.path' '${path}' ${problem}.`, fixes });
    return;
  }
  const overlap = overlappingMount(ctx, container, path);
  if (overlap) {
    ctx.report({
      code,
      at: scalar,
      message: `'sessionTokenConfig.path' '${path}' overlaps ${overlap.what} '${overlap.path}' of the same container; choose a directory outside every volume and secret mount.`,
    });
  }
}

function overlappingMount(ctx: RuleContext, container: SpecItem, path: string): { what: string; path: string } | undefined {
  const { doc } = ctx;
  for (const mount of mapItemsOf(valueOf(container.node, 'volumeMounts'))) {
    const mountPath = stringValue(doc, valueOf(mount, 'mountPath'));
    if (mountPath !== undefined && mountPath.startsWith('/') && pathsOverlap(path, mountPath)) {
      return { what: 'the volume mount', path: mountPath };
    }
  }
  for (const secret of mapItemsOf(valueOf(container.node, 'secrets'))) {
    const directory = stringValue(doc, valueOf(secret, 'directoryPath'));
    if (directory !== undefined && directory.startsWith('/') && pathsOverlap(path, directory)) {
      return { what: 'the secret directory', path: directory };
    }
  }
  return undefined;
}

