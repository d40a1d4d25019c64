/**
 * Journey: roll out a new version behind a gateway, as a user does it.
 *
 * - snowflake.yml: the "Deploy entity" code lens on the echo_v2 service entity deploys it (CREATE
 *   SERVICE with the entity's properties, the spec sent inline) and the new service shows in the
 *   Services view;
 * - canary.gateway.yaml: the "Deploy Gateway" code lens asks the gateway's name (pre-filled with the
 *   first target's schema and the file's name) and creates it; the gateway shows under its schema with
 *   its two targets and their weights;
 * - "Shift Traffic…" on the gateway: the targets and the step are picked, the diff of the weights opens
 *   with a modal that says what moves, and after the ALTER the tree shows the new weights.
 *
 * project-deploy-entity.png, gateway-shift-diff.png and gateway-tree.png in the README come from here.
 */

import {
  accountJourney,
  answerDialog,
  answerQuickPick,
  chooseContextMenuEntry,
  collapseView,
  developerConnection,
  expandTreePath,
  notificationText,
  openView,
  waitForCodeLens,
  waitForQuickInputTitle,
  waitForTreeItem,
  widenSideBar,
} from './accountWorkbench';
import { openFromExplorer, runCommand } from './workbench';

const dev = developerConnection;
const schema = [dev, 'SPCS_DEMO.PUBLIC'];
const gateway = [...schema, 'CANARY'];
const deployTimeoutMs = 60_000;

accountJourney(
  'gateways: deploy a snowflake.yml entity, put a gateway in front of both versions, shift traffic',
  async ({ page, step, screenshot }) => {
    await step('open snowflake.yml: Deploy entity on echo_v2 creates the service', async () => {
      await openFromExplorer(page, 'snowflake.yml');
      const lens = await waitForCodeLens(page, 'Deploy entity', deployTimeoutMs);
      await waitForCodeLens(page, 'Upgrade');
      await screenshot('snowflake.yml with Deploy entity and Upgrade on the service entity');
      await lens.locator('a', { hasText: 'Deploy entity' }).click();
      await notificationText(page, /ECHO_V2 is ready/, deployTimeoutMs);
    });

    await step('ECHO_V2 shows in the Services view beside ECHO_SERVICE', async () => {
      await collapseView(page, 'Compute Pools');
      await openView(page, 'Services');
      await widenSideBar(page, 520);
      await expandTreePath(page, 'Services', schema);
      await waitForTreeItem(page, 'Services', { path: [...schema, 'ECHO_V2'], description: /^RUNNING/, timeoutMs: deployTimeoutMs });
      await waitForTreeItem(page, 'Services', { path: [...schema, 'ECHO_GATEWAY'], description: /^gateway/ });
    });

    await step('open canary.gateway.yaml: Deploy Gateway asks the name and creates CANARY', async () => {
      await runCommand(page, 'View: Show Explorer');
      await openFromExplorer(page, 'canary.gateway.yaml');
      const lens = await waitForCodeLens(page, 'Deploy Gateway', deployTimeoutMs);
      await lens.locator('a', { hasText: 'Deploy Gateway' }).click();
      await waitForQuickInputTitle(page, 'Deploy Gateway');
      await answerQuickPick(page, { type: 'SPCS_DEMO.PUBLIC.CANARY' });
      await notificationText(page, /^Created gateway SPCS_DEMO\.PUBLIC\.CANARY/, deployTimeoutMs);
    });

    await step('CANARY shows under SPCS_DEMO.PUBLIC with its two targets and their weights', async () => {
      await openView(page, 'Services');
      await expandTreePath(page, 'Services', gateway);
      await waitForTreeItem(page, 'Services', { path: [...gateway, 'spcs_demo.public.echo_service!echoendpoint'], description: '100%' });
      await waitForTreeItem(page, 'Services', { path: [...gateway, 'spcs_demo.public.echo_v2!echoendpoint'], description: '0%' });
    });

    await step('Shift Traffic…: from ECHO_SERVICE, 10%: the diff of the weights and a modal', async () => {
      await chooseContextMenuEntry(page, await waitForTreeItem(page, 'Services', { path: gateway }), 'Shift Traffic…');
      await waitForQuickInputTitle(page, 'Shift Traffic: SPCS_DEMO.PUBLIC.CANARY');
      await answerQuickPick(page, { choose: 'spcs_demo.public.echo_service!echoendpoint' });
      await answerQuickPick(page, { choose: '10%' });
      await page.locator('.tabs-container .tab', { hasText: 'CANARY: deployed ↔ shifted' }).waitFor({ state: 'visible', timeout: deployTimeoutMs });
      await page.locator('.monaco-diff-editor .editor.modified .view-lines', { hasText: 'weight: 90' }).waitFor({ state: 'visible' });
      await page.locator('.monaco-dialog-box', { hasText: 'Shift 10% of the traffic of SPCS_DEMO.PUBLIC.CANARY?' }).waitFor({ state: 'visible' });
      await screenshot('the diff of the weights and the modal before ALTER GATEWAY');
      await answerDialog(page, 'Shift Traffic');
      await notificationText(page, /^Moved 10% of the traffic of gateway SPCS_DEMO\.PUBLIC\.CANARY/, deployTimeoutMs);
    });

    await step('the tree shows 90% and 10%', async () => {
      await waitForTreeItem(page, 'Services', { path: [...gateway, 'spcs_demo.public.echo_service!echoendpoint'], description: '90%', timeoutMs: deployTimeoutMs });
      await waitForTreeItem(page, 'Services', { path: [...gateway, 'spcs_demo.public.echo_v2!echoendpoint'], description: '10%' });
      await screenshot('the gateway with its targets and their new weights');
    });
  },
  { account: { twoConnections: false } },
);
