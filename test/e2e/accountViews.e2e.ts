/**
 * Journeys: the "Snowpark Containers" sidebar as a user first meets it.
 *
 * - With no connection at all (the run's SNOWFLAKE_HOME is empty), each view says so and offers the two
 *   ways forward: "Open connections.toml" and "Start Local Emulator".
 * - With a local emulator's two connections in connections.toml (accountFixture.ts), the views list
 *   them as roots; the default connection's pools, a pool's services and a service's instances show
 *   as the user expands them; a destructive action from the context menu asks first (and Cancel
 *   changes nothing); the active connection is chosen with a QuickPick and shown in the status bar;
 *   the extension's output channel reads in the Output panel.
 *
 * These also keep the selectors of accountWorkbench.ts honest against the real workbench.
 */

import assert from 'node:assert/strict';
import {
  accountJourney,
  answerDialog,
  answerQuickPick,
  chooseContextMenuEntry,
  developerConnection,
  expandTreePath,
  openSnowparkContainers,
  openView,
  outputText,
  quickPickRows,
  showOutputChannel,
  treeChildren,
  viewerConnection,
  waitForTreeItem,
  welcomeButton,
} from './accountWorkbench';
import { journey, runCommand } from './workbench';

journey('welcome view: no Snowflake connection, two ways forward', async ({ page, step }) => {
  await step('open the Snowpark Containers side bar', () => openSnowparkContainers(page));
  await step('the Compute Pools view offers to open connections.toml or start the local emulator', async () => {
    await openView(page, 'Compute Pools');
    await welcomeButton(page, 'Compute Pools', 'Open connections.toml').waitFor({ state: 'visible' });
    await welcomeButton(page, 'Compute Pools', 'Start Local Emulator').waitFor({ state: 'visible' });
  });
  await step('so does the Services view', async () => {
    await openView(page, 'Services');
    await welcomeButton(page, 'Services', 'Open connections.toml').waitFor({ state: 'visible' });
    await welcomeButton(page, 'Services', 'Start Local Emulator').waitFor({ state: 'visible' });
  });
});

accountJourney('connection roots: both emulator connections, their pools and services, the active connection', async ({ page, step }) => {
  await step('open the Snowpark Containers side bar', () => openSnowparkContainers(page));
  await step('the Compute Pools view lists both connections', async () => {
    await openView(page, 'Compute Pools');
    await waitForTreeItem(page, 'Compute Pools', { path: [developerConnection] });
    await waitForTreeItem(page, 'Compute Pools', { path: [viewerConnection] });
    const roots = (await treeChildren(page, 'Compute Pools', [])).map((root) => root.label);
    assert.deepEqual([...roots].sort(), [developerConnection, viewerConnection]);
  });
  await step('expanding the default connection lists the demo pools', async () => {
    await expandTreePath(page, 'Compute Pools', [developerConnection]);
    await waitForTreeItem(page, 'Compute Pools', { path: [developerConnection, 'DEMO_CPU_POOL'], description: 'ACTIVE' });
    const pools = (await treeChildren(page, 'Compute Pools', [developerConnection])).map((pool) => pool.label);
    for (const pool of ['DEMO_CPU_POOL', 'DEMO_GPU_POOL', 'SUSPENDED_POOL']) {
      assert.ok(pools.includes(pool), `${pool} is listed: ${pools.join(', ')}`);
    }
  });
  await step('a service on the pool shows its two instances', async () => {
    await expandTreePath(page, 'Compute Pools', [developerConnection, 'DEMO_CPU_POOL', 'ECHO_SERVICE']);
    await waitForTreeItem(page, 'Compute Pools', { path: [developerConnection, 'DEMO_CPU_POOL', 'ECHO_SERVICE', 'Instance 0'], description: 'READY' });
    await waitForTreeItem(page, 'Compute Pools', { path: [developerConnection, 'DEMO_CPU_POOL', 'ECHO_SERVICE', 'Instance 1'], description: 'READY' });
  });
  await step('suspending the pool from its context menu asks first; Cancel leaves it running', async () => {
    const pool = await waitForTreeItem(page, 'Compute Pools', { path: [developerConnection, 'DEMO_CPU_POOL'] });
    await chooseContextMenuEntry(page, pool, 'Suspend Compute Pool');
    assert.match(await answerDialog(page, 'Cancel'), /DEMO_CPU_POOL/);
    await waitForTreeItem(page, 'Compute Pools', { path: [developerConnection, 'DEMO_CPU_POOL'], description: 'ACTIVE' });
  });
  await step('the viewer connection becomes the active one through the QuickPick', async () => {
    await runCommand(page, 'SPCS: Select Connection');
    const offered = (await quickPickRows(page)).map((row) => row.label);
    assert.deepEqual([...offered].sort(), [developerConnection, viewerConnection]);
    await answerQuickPick(page, { choose: viewerConnection });
    await page.locator('.statusbar-item', { hasText: viewerConnection }).waitFor({ state: 'visible' });
  });
  await step('the extension\'s output channel says what it loaded', async () => {
    await showOutputChannel(page, 'Snowpark Container Services');
    assert.match(await outputText(page, /account features loaded/), /account features loaded in \d+ ms/);
  });
});
