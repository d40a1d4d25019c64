/**
 * Names of containers, endpoints, volumes and service roles.
 *
 * Implements S03 (container/endpoint/volume name format), S04 (names unique per kind), S44 (service
 * role name format; the missing name/endpoints half of S44 is the schema's) and S46 (a role named
 * like the built-in `all_endpoints_usage`). Templated names are never judged, and uniqueness is not
 * checked in documents with Jinja statements, whose loops make the text differ from the result.
 *
 * The rename fixes also rename the references (volumeMounts for volumes, serviceRoles for
 * endpoints), so that applying one never creates an "undefined volume/endpoint" error.
 */

import type { TextEdit } from 'vscode-languageserver-types';
import { isTemplated, nodeRange, type SpecDocument, type SpecItem } from '../specDocument';
import type { QuickFix, Rule, RuleContext } from './ruleApi';
import { asSeq, hasControlStatements, mapItemsOf, replaceScalar, stringValue, valueOf } from './ruleHelpers';

const namePattern = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const rolePattern = /^[A-Za-z]([A-Za-z0-9_]*[A-Za-z0-9])?$/;
const builtinRole = 'all_endpoints_usage';

type Kind = 'container' | 'endpoint' | 'volume';

export const namesRule: Rule = {
  name: 'names',
  check(ctx) {
    const { lists } = ctx.doc;
    checkFormat(ctx, 'container', lists.containers);
    checkFormat(ctx, 'endpoint', lists.endpoints);
    checkFormat(ctx, 'volume', lists.volumes);
    checkRoles(ctx, lists.serviceRoles);
    if (!hasControlStatements(ctx.doc)) {
      checkUnique(ctx, 'container', lists.containers);
      checkUnique(ctx, 'endpoint', lists.endpoints);
      checkUnique(ctx, 'volume', lists.volumes);
      checkUnique(ctx, 'service role', lists.serviceRoles);
    }
  },
};

function checkFormat(ctx: RuleContext, kind: Kind, items: readonly SpecItem[]): void {
  for (const item of items) {
    const name = item.name;
    if (name === undefined || !item.nameNode || namePattern.test(name)) {
      continue;
    }
    const suggestion = suggestName(name);
    const taken = new Set(items.map((other) => other.name));
    const fixes: QuickFix[] = [];
    if (suggestion && !taken.has(suggestion)) {
      const edits = renameEdits(ctx.doc, kind, item, suggestion);
      if (edits.length > 0) {
        fixes.push({ title: `Rename to '${suggestion}'`, edits, isPreferred: true });
      }
    }
    ctx.report({
      code: 'spcs/invalid-name',
      at: item.nameNode,
      message: `${capitalize(kind)} name '${name}' ${nameProblem(name)}. Names may use only lowercase letters, digits and '-', start with a letter, end with a letter or digit, and have at most 63 characters${suggestion ? `, e.g. '${suggestion}'` : ''}.`,
      fixes,
    });
  }
}

function nameProblem(name: string): string {
  if (name.length === 0) {
    return 'is empty';
  }
  if (name.length > 63) {
    return `has ${name.length} characters`;
  }
  if (name.includes('_')) {
    return "contains '_'";
  }
  if (/[A-Z]/.test(name)) {
    return 'contains uppercase letters';
  }
  if (/[^a-z0-9-]/.test(name)) {
    return "contains characters other than lowercase letters, digits and '-'";
  }
  if (!/^[a-z]/.test(name)) {
    return 'does not start with a letter';
  }
  return "ends with '-'";
}

/** Lowercase, every other character as `-`, no leading/trailing/double dashes; undefined when that is still invalid. */
export function suggestName(name: string): string | undefined {
  const candidate = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  return candidate !== name && namePattern.test(candidate) ? candidate : undefined;
}

/** The name edit plus the edits of every reference to the old name. */
function renameEdits(doc: SpecDocument, kind: Kind, item: SpecItem, newName: string): TextEdit[] {
  const edits: TextEdit[] = [];
  const own = item.nameNode ? replaceScalar(doc, item.nameNode, newName) : undefined;
  if (!own) {
    return edits;
  }
  edits.push(own);
  const oldName = item.name;
  if (kind === 'volume') {
    for (const container of doc.lists.containers) {
      for (const mount of mapItemsOf(valueOf(container.node, 'volumeMounts'))) {
        const nameNode = valueOf(mount, 'name');
        if (stringValue(doc, nameNode) === oldName) {
          const edit = replaceScalar(doc, nameNode, newName);
          if (edit) {
            edits.push(edit);
          }
        }
      }
    }
  }
  if (kind === 'endpoint') {
    for (const role of doc.lists.serviceRoles) {
      for (const reference of asSeq(valueOf(role.node, 'endpoints'))?.items ?? []) {
        if (stringValue(doc, reference) === oldName) {
          const edit = replaceScalar(doc, reference, newName);
          if (edit) {
            edits.push(edit);
          }
        }
      }
    }
  }
  return edits;
}

function checkRoles(ctx: RuleContext, roles: readonly SpecItem[]): void {
  for (const role of roles) {
    const name = role.name;
    if (name === undefined || !role.nameNode) {
      continue;
    }
    if (name.toLowerCase() === builtinRole) {
      ctx.report({
        code: 'spcs/builtin-role-name',
        at: role.nameNode,
        message: `'${builtinRole}' is the service role Snowflake creates for every service (it grants all endpoints). Give this role another name, or drop it and grant '<service>!${builtinRole}' instead.`,
      });
      continue;
    }
    if (rolePattern.test(name)) {
      continue;
    }
    const suggestion = suggestRoleName(name);
    ctx.report({
      code: 'spcs/invalid-role-name',
      at: role.nameNode,
      message: `Service role name '${name}' is invalid: service role names use only letters, digits and '_', start with a letter and end with a letter or digit${suggestion ? `, e.g. '${suggestion}'` : ''}.`,
      fixes: suggestion ? renameRoleFix(ctx.doc, role, suggestion) : undefined,
    });
  }
}

function suggestRoleName(name: string): string | undefined {
  const candidate = name
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/_{2,}/g, '_')
    .replace(/^_+|_+$/g, '');
  return candidate !== name && rolePattern.test(candidate) ? candidate : undefined;
}

function renameRoleFix(doc: SpecDocument, role: SpecItem, newName: string): QuickFix[] | undefined {
  const edit = role.nameNode ? replaceScalar(doc, role.nameNode, newName) : undefined;
  return edit ? [{ title: `Rename to '${newName}'`, edits: [edit], isPreferred: true }] : undefined;
}

function checkUnique(ctx: RuleContext, kind: string, items: readonly SpecItem[]): void {
  const first = new Map<string, SpecItem>();
  for (const item of items) {
    if (item.name === undefined || !item.nameNode || isTemplated(ctx.doc, item.nameNode)) {
      continue;
    }
    const earlier = first.get(item.name);
    if (!earlier) {
      first.set(item.name, item);
      continue;
    }
    const earlierRange = nodeRange(ctx.doc, earlier.nameNode);
    ctx.report({
      code: 'spcs/duplicate-name',
      at: item.nameNode,
      message: `Another ${kind} is already named '${item.name}'; ${kind} names must be unique within a service. Rename one of them.`,
      related: earlierRange ? [{ range: earlierRange, message: `First ${kind} named '${item.name}'` }] : undefined,
    });
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
