/**
 * The extension manifest against the code: every command declared in package.json is registered by
 * the client and every registered command is declared; every setting is documented and scoped; the
 * version the server reports matches the package version.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { accountCommandIds, roomViewIds, trustedOnlyCommandIds, viewIds } from '../../client/src/model/commandIds';
import { serverVersion } from '../../server/src/version';

const root = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  version: string;
  capabilities: { untrustedWorkspaces: { supported: boolean | 'limited'; description?: string } };
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    views: Record<string, { id: string }[]>;
    configuration: { properties: Record<string, { scope?: string; markdownDescription?: string; enum?: unknown[]; enumDescriptions?: unknown[] }> };
    grammars: { path: string }[];
    languages: { configuration?: string }[];
  };
};

function sources(directory: string): string {
  return readdirSync(directory)
    .map((entry) => path.join(directory, entry))
    .map((file) => (statSync(file).isDirectory() ? sources(file) : file.endsWith('.ts') ? readFileSync(file, 'utf8') : ''))
    .join('\n');
}

describe('package.json manifest', () => {
  const clientCode = sources(path.join(root, 'client/src'));

  it('declares exactly the commands the client registers', () => {
    // extension.ts registers its own commands by name, and the account commands from commandIds.ts.
    const registered = [...[...clientCode.matchAll(/registerCommand\(\s*'([^']+)'/g)].map((match) => match[1]), ...accountCommandIds].sort();
    const declared = manifest.contributes.commands.map((command) => command.command).sort();
    assert.deepEqual(declared, registered);
  });

  it('points every menu item at a declared command', () => {
    const declared = new Set(manifest.contributes.commands.map((command) => command.command));
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) {
        assert.ok(declared.has(item.command), `${menu} names ${item.command}, which is not declared`);
      }
    }
  });

  it('declares exactly the views the client creates', () => {
    const declared = Object.values(manifest.contributes.views).flat().map((view) => view.id).sort();
    assert.deepEqual(declared, [...viewIds, ...roomViewIds].sort());
  });

  it('limits untrusted workspaces: every command that changes the account or runs code needs trust', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(manifest.capabilities.untrustedWorkspaces.description ?? '', /Restricted Mode/);
    const changesTheAccount = [
      'spcs.deploy', 'spcs.deployWithNewChoices', 'spcs.executeJob', 'spcs.suspendService', 'spcs.resumeService', 'spcs.dropService',
      'spcs.setServiceInstances', 'spcs.suspendComputePool', 'spcs.resumeComputePool', 'spcs.startEmulator', 'spcs.createServiceFunction', 'spcs.pushImage',
    ] as const;
    for (const id of changesTheAccount) {
      assert.ok(trustedOnlyCommandIds.has(id), `${id} must be refused in Restricted Mode`);
    }
    // Menu entries of those commands in the editor only show in trusted workspaces.
    for (const menu of ['editor/title', 'editor/context']) {
      for (const item of manifest.contributes.menus[menu] ?? []) {
        if ((trustedOnlyCommandIds as ReadonlySet<string>).has(item.command)) {
          assert.match(item.when ?? '', /isWorkspaceTrusted/, `${menu} shows ${item.command} in Restricted Mode`);
        }
      }
    }
  });

  it('gives every command a category and a codicon', () => {
    for (const command of manifest.contributes.commands) {
      assert.ok(command.category, `${command.command} has no category`);
      assert.match(command.icon ?? '', /^\$\([a-z-]+\)$/, `${command.command} has no codicon`);
    }
  });

  it('documents and scopes every setting', () => {
    for (const [key, setting] of Object.entries(manifest.contributes.configuration.properties)) {
      assert.ok(setting.scope, `${key} has no scope`);
      assert.ok(setting.markdownDescription, `${key} has no markdownDescription`);
      if (setting.enum) {
        assert.equal(setting.enumDescriptions?.length, setting.enum.length, `${key} needs enumDescriptions`);
      }
    }
  });

  it('reads only declared settings in the client', () => {
    // Settings are read either straight off `getConfiguration('spcs', …)` or through a variable named
    // `configuration` holding it; other `.get('…')` calls (maps, URL parameters) are not settings.
    const direct = [...clientCode.matchAll(/getConfiguration\('spcs'[^)]*\)\s*\.get(?:<[^>]+>)?\(\s*'([a-zA-Z.]+)'/g)];
    const throughVariable = [...clientCode.matchAll(/\bconfiguration\.get(?:<[^>]+>)?\(\s*'([a-zA-Z.]+)'/g)];
    const read = [...direct, ...throughVariable].map((match) => `spcs.${match[1]}`);
    assert.ok(read.length >= 8, `found only ${read.length} setting reads: the pattern no longer matches the code`);
    for (const key of read) {
      assert.ok(key in manifest.contributes.configuration.properties, `${key} is read but not declared`);
    }
  });

  it('points at files that exist', () => {
    for (const grammar of manifest.contributes.grammars) {
      assert.ok(statSync(path.join(root, grammar.path)).isFile(), grammar.path);
    }
    for (const language of manifest.contributes.languages) {
      if (language.configuration) {
        assert.ok(statSync(path.join(root, language.configuration)).isFile(), language.configuration);
      }
    }
  });

  it('reports the package version from the server and the linter', () => {
    assert.equal(serverVersion, manifest.version);
  });
});
