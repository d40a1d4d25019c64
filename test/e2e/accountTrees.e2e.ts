/**
 * Journeys: the three trees of the "Snowpark Containers" sidebar against the local emulator's demo
 * account, as a user reads them.
 *
 * - Compute Pools: the seeded pools with their state, instance family, nodes and (DEMO_GPU_POOL) GPUs;
 *   a pool's services, a service's instances and an instance's containers with status and restarts.
 * - Services: the schema, its services with their status, the job marked as a job with its final
 *   state, and a service's public endpoint with its ingress URL.
 * - Image Repositories: a repository, its images and their tags.
 * - Two connections side by side: the developer's and the viewer's roots expand independently, the
 *   viewer sees what its role may see, and an action its role may not take fails with a message that
 *   names the privilege problem (no crash, the tree unchanged).
 *
 * The first journey keeps the side bar at its default width: the descriptions of pools and services
 * (the state first, and a pool's GPUs, a service's instances) fit there, the rest is in the tooltips.
 * Each view gets a screenshot. docs/screenshots/sidebar-trees.png is the side bar of steps 03 (the
 * Compute Pools view), 06 (the endpoint's tooltip, so with the editor area beside it) and 07 (Image
 * Repositories), side by side: `convert 03-….png -crop 302x362+48+62 +repage …` (06: 682 wide), then
 * `convert a b c -bordercolor '#d4d4d4' -border 1x0 +append sidebar-trees.png`.
 */

import assert from 'node:assert/strict';
import {
  accountJourney,
  collapseView,
  chooseContextMenuEntry,
  cutTreeRows,
  developerConnection,
  expandTreePath,
  notificationText,
  openSnowparkContainers,
  openView,
  treeChildren,
  viewerConnection,
  waitForTreeItem,
  widenSideBar,
} from './accountWorkbench';

const dev = developerConnection;
const viewer = viewerConnection;

accountJourney('trees: pools, services, instances, containers, endpoints and image tags', async ({ page, step }) => {
  await step('open the Snowpark Containers side bar (at its default width)', async () => {
    await openSnowparkContainers(page);
  });

  await step('DEMO_CPU_POOL › ECHO_SERVICE › Instance 0 › echo: the container is READY with no restarts', async () => {
    await openView(page, 'Compute Pools');
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL'] });
    await expandTreePath(page, 'Compute Pools', [dev, 'DEMO_CPU_POOL']);
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL', 'ECHO_SERVICE'], description: /^RUNNING · 2\/2$/ });
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL', 'REPORTING_SERVICE'], description: /^FAILED/ });
    await expandTreePath(page, 'Compute Pools', [dev, 'DEMO_CPU_POOL', 'ECHO_SERVICE', 'Instance 0']);
    const container = await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL', 'ECHO_SERVICE', 'Instance 0', 'echo'], description: 'READY' });
    assert.doesNotMatch((await container.locator('.label-description').textContent()) ?? '', /restart/, 'no restarts on a healthy container');
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL', 'ECHO_SERVICE', 'Instance 1'], description: 'READY' });
  });

  await step('the Compute Pools view: each pool says its state (and GPUs) first, and nothing is cut at the default width', async () => {
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL'], description: /^ACTIVE$/ });
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_GPU_POOL'], description: /^(ACTIVE|IDLE) · 4 GPU$/ });
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'SUSPENDED_POOL'], description: /^SUSPENDED$/ });
    // Pools (level 2), their services (3), instances (4) and containers (5): the family, nodes and
    // schema moved to the tooltips, so no description is cut with an ellipsis.
    for (const level of [2, 3, 4, 5]) {
      assert.deepEqual(await cutTreeRows(page, 'Compute Pools', level), [], `rows at level ${level} are cut at the default side bar width`);
    }
  });

  await step('DEMO_GPU_POOL › LLM_SERVICE: the vllm container that restarted once says so', async () => {
    await collapseView(page, 'Services');
    // Make room: fold DEMO_CPU_POOL, then open the GPU pool's LLM service down to its containers.
    const cpuPool = await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL'] });
    await cpuPool.locator('.monaco-tl-twistie').click();
    await expandTreePath(page, 'Compute Pools', [dev, 'DEMO_GPU_POOL', 'LLM_SERVICE', 'Instance 0']);
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_GPU_POOL', 'LLM_SERVICE', 'Instance 0', 'vllm'], description: /READY · 1 restart/ });
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_GPU_POOL', 'NIGHTLY_TRAINING_JOB'], description: /^DONE$/ });
  });

  await step('the Services view: SPCS_DEMO.PUBLIC holds the services with their status and the job with its final state', async () => {
    await collapseView(page, 'Compute Pools');
    await openView(page, 'Services');
    await expandTreePath(page, 'Services', [dev, 'SPCS_DEMO.PUBLIC']);
    await waitForTreeItem(page, 'Services', { path: [dev, 'SPCS_DEMO.PUBLIC', 'ECHO_SERVICE'], description: /^RUNNING · 2\/2$/ });
    await waitForTreeItem(page, 'Services', { path: [dev, 'SPCS_DEMO.PUBLIC', 'NIGHTLY_TRAINING_JOB'], description: /^DONE$/ });
    await waitForTreeItem(page, 'Services', { path: [dev, 'SPCS_DEMO.PUBLIC', 'REPORTING_SERVICE'], description: /^FAILED/ });
    const services = (await treeChildren(page, 'Services', [dev, 'SPCS_DEMO.PUBLIC'])).map((service) => service.label);
    for (const name of ['ECHO_SERVICE', 'LLM_SERVICE', 'ORDERS_SERVICE', 'REPORTING_SERVICE', 'NIGHTLY_TRAINING_JOB']) {
      assert.ok(services.includes(name), `${name} is listed: ${services.join(', ')}`);
    }
    assert.deepEqual(await cutTreeRows(page, 'Services', 3), [], 'services are cut at the default side bar width');
  });

  await step('ECHO_SERVICE › Endpoints: the public endpoint is ready, its ingress URL in the tooltip', async () => {
    await expandTreePath(page, 'Services', [dev, 'SPCS_DEMO.PUBLIC', 'ECHO_SERVICE', 'Endpoints']);
    const endpoint = await waitForTreeItem(page, 'Services', { path: [dev, 'SPCS_DEMO.PUBLIC', 'ECHO_SERVICE', 'Endpoints', 'echoendpoint'], description: /^public · HTTP :8000$/ });
    // Pointing at the row shows its tooltip, which holds the URL.
    await endpoint.hover();
    await page.locator('.monaco-hover:visible', { hasText: /https:\/\/[a-z0-9]+-[a-z0-9-]+\.snowflakecomputing\.app/ }).first().waitFor({ state: 'visible' });
  });

  await step('Image Repositories: TUTORIAL_REPOSITORY › echo holds the tags v1, v2 and latest', async () => {
    await collapseView(page, 'Services');
    await openView(page, 'Image Repositories');
    await waitForTreeItem(page, 'Image Repositories', { path: [dev, 'TUTORIAL_REPOSITORY'], description: 'TUTORIAL_DB.DATA_SCHEMA' });
    await expandTreePath(page, 'Image Repositories', [dev, 'TUTORIAL_REPOSITORY', 'echo']);
    await waitForTreeItem(page, 'Image Repositories', { path: [dev, 'TUTORIAL_REPOSITORY', 'echo', 'latest'], description: /^\d{4}-\d{2}-\d{2} · sha256:[0-9a-f]{12}$/ });
    const tags = (await treeChildren(page, 'Image Repositories', [dev, 'TUTORIAL_REPOSITORY', 'echo'])).map((tag) => tag.label);
    assert.deepEqual([...tags].sort(), ['latest', 'v1', 'v2']);
  });

});

accountJourney('two connections: the viewer sees what its role may see, and is told which privilege it lacks', async ({ page, step }) => {
  await step('open the Services view', async () => {
    await collapseView(page, 'Compute Pools');
    await openView(page, 'Services');
    await widenSideBar(page, 560);
  });

  await step('both connection roots expand independently', async () => {
    await expandTreePath(page, 'Services', [dev, 'SPCS_DEMO.PUBLIC']);
    await waitForTreeItem(page, 'Services', { path: [dev, 'SPCS_DEMO.PUBLIC', 'ECHO_SERVICE'], description: 'RUNNING' });
    // Fold the developer's connection: the viewer's root opens on its own, the other stays folded.
    const devRoot = await waitForTreeItem(page, 'Services', { path: [dev] });
    await devRoot.locator('.monaco-tl-twistie').click();
    await expandTreePath(page, 'Services', [viewer, 'SPCS_DEMO.PUBLIC']);
    await waitForTreeItem(page, 'Services', { path: [viewer, 'SPCS_DEMO.PUBLIC', 'ECHO_SERVICE'], description: 'RUNNING' });
    assert.deepEqual(await treeChildren(page, 'Services', [dev]), [], 'the developer connection stays folded');
  });

  await step('the viewer (USAGE and MONITOR only) sees the demo services and their instances', async () => {
    const services = (await treeChildren(page, 'Services', [viewer, 'SPCS_DEMO.PUBLIC'])).map((service) => service.label);
    for (const name of ['ECHO_SERVICE', 'LLM_SERVICE', 'NIGHTLY_TRAINING_JOB']) {
      assert.ok(services.includes(name), `the viewer sees ${name}: ${services.join(', ')}`);
    }
    await expandTreePath(page, 'Services', [viewer, 'SPCS_DEMO.PUBLIC', 'ECHO_SERVICE']);
    await waitForTreeItem(page, 'Services', { path: [viewer, 'SPCS_DEMO.PUBLIC', 'ECHO_SERVICE', 'Instance 0'], description: 'READY' });
  });

  await step('suspending ECHO_SERVICE as the viewer fails with a message about the missing privilege', async () => {
    const echo = await waitForTreeItem(page, 'Services', { path: [viewer, 'SPCS_DEMO.PUBLIC', 'ECHO_SERVICE'] });
    await chooseContextMenuEntry(page, echo, 'Suspend Service');
    const message = await notificationText(page, /Could not suspend service/);
    assert.match(message, /ECHO_SERVICE/);
    assert.match(message, /privilege/i, `the message names the privilege problem: ${message}`);
  });

  await step('the service is still running for both connections', async () => {
    await waitForTreeItem(page, 'Services', { path: [viewer, 'SPCS_DEMO.PUBLIC', 'ECHO_SERVICE'], description: /^RUNNING/ });
    await expandTreePath(page, 'Services', [dev, 'SPCS_DEMO.PUBLIC']);
    await waitForTreeItem(page, 'Services', { path: [dev, 'SPCS_DEMO.PUBLIC', 'ECHO_SERVICE'], description: /^RUNNING/ });
  });
});
