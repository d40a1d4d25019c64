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
 * Each view gets a screenshot (sidebar-trees.png in the README comes from here).
 */

import assert from 'node:assert/strict';
import {
  accountJourney,
  collapseView,
  chooseContextMenuEntry,
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
  await step('open the Snowpark Containers side bar', async () => {
    await openSnowparkContainers(page);
    await widenSideBar(page, 560);
  });

  await step('the Compute Pools view lists the seeded pools with state, family, nodes and GPUs', async () => {
    await openView(page, 'Compute Pools');
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL'], description: /ACTIVE · CPU_X64_S · \d+ active \/ \d+ idle \/ max 3/ });
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_GPU_POOL'], description: /GPU_NV_M · .*max 2 · \d+ GPU$/ });
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'SUSPENDED_POOL'], description: /^SUSPENDED · CPU_X64_XS/ });
    const pools = await treeChildren(page, 'Compute Pools', [dev]);
    const cpu = pools.find((pool) => pool.label === 'DEMO_CPU_POOL');
    assert.doesNotMatch(cpu?.description ?? '', /GPU/, 'a CPU pool has no GPU badge');
  });

  await step('DEMO_CPU_POOL › ECHO_SERVICE › Instance 0 › echo: the container is READY with no restarts', async () => {
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL'] });
    await expandTreePath(page, 'Compute Pools', [dev, 'DEMO_CPU_POOL']);
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL', 'ECHO_SERVICE'], description: /^RUNNING · 2\/2 instances · SPCS_DEMO\.PUBLIC/ });
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL', 'REPORTING_SERVICE'], description: /FAILED/ });
    await expandTreePath(page, 'Compute Pools', [dev, 'DEMO_CPU_POOL', 'ECHO_SERVICE', 'Instance 0']);
    const container = await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL', 'ECHO_SERVICE', 'Instance 0', 'echo'], description: 'READY' });
    assert.doesNotMatch((await container.locator('.label-description').textContent()) ?? '', /restart/, 'no restarts on a healthy container');
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL', 'ECHO_SERVICE', 'Instance 1'], description: 'READY' });
  });

  await step('DEMO_GPU_POOL › LLM_SERVICE: the vllm container that restarted once says so', async () => {
    await collapseView(page, 'Services');
    // Make room: fold DEMO_CPU_POOL, then open the GPU pool's LLM service down to its containers.
    const cpuPool = await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL'] });
    await cpuPool.locator('.monaco-tl-twistie').click();
    await expandTreePath(page, 'Compute Pools', [dev, 'DEMO_GPU_POOL', 'LLM_SERVICE', 'Instance 0']);
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_GPU_POOL', 'LLM_SERVICE', 'Instance 0', 'vllm'], description: /READY · 1 restart/ });
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_GPU_POOL', 'NIGHTLY_TRAINING_JOB'], description: /^job · DONE/ });
  });

  await step('the Services view: SPCS_DEMO.PUBLIC holds the services with their status and the job with its final state', async () => {
    await collapseView(page, 'Compute Pools');
    await openView(page, 'Services');
    await expandTreePath(page, 'Services', [dev, 'SPCS_DEMO.PUBLIC']);
    await waitForTreeItem(page, 'Services', { path: [dev, 'SPCS_DEMO.PUBLIC', 'ECHO_SERVICE'], description: /^RUNNING · 2\/2 instances$/ });
    await waitForTreeItem(page, 'Services', { path: [dev, 'SPCS_DEMO.PUBLIC', 'NIGHTLY_TRAINING_JOB'], description: /^job · DONE$/ });
    await waitForTreeItem(page, 'Services', { path: [dev, 'SPCS_DEMO.PUBLIC', 'REPORTING_SERVICE'], description: /^FAILED/ });
    const services = (await treeChildren(page, 'Services', [dev, 'SPCS_DEMO.PUBLIC'])).map((service) => service.label);
    for (const name of ['ECHO_SERVICE', 'LLM_SERVICE', 'ORDERS_SERVICE', 'REPORTING_SERVICE', 'NIGHTLY_TRAINING_JOB']) {
      assert.ok(services.includes(name), `${name} is listed: ${services.join(', ')}`);
    }
  });

  await step('ECHO_SERVICE › Endpoints: the public endpoint shows its ingress URL', async () => {
    await expandTreePath(page, 'Services', [dev, 'SPCS_DEMO.PUBLIC', 'ECHO_SERVICE', 'Endpoints']);
    await waitForTreeItem(page, 'Services', {
      path: [dev, 'SPCS_DEMO.PUBLIC', 'ECHO_SERVICE', 'Endpoints', 'echoendpoint'],
      description: /^public · HTTP :8000 · https:\/\/[a-z0-9]+-[a-z0-9-]+\.snowflakecomputing\.app$/,
    });
  });

  await step('Image Repositories: TUTORIAL_REPOSITORY › echo holds the tags v1, v2 and latest', async () => {
    await collapseView(page, 'Services');
    await openView(page, 'Image Repositories');
    await waitForTreeItem(page, 'Image Repositories', { path: [dev, 'TUTORIAL_REPOSITORY'], description: 'TUTORIAL_DB.DATA_SCHEMA' });
    await expandTreePath(page, 'Image Repositories', [dev, 'TUTORIAL_REPOSITORY', 'echo']);
    await waitForTreeItem(page, 'Image Repositories', { path: [dev, 'TUTORIAL_REPOSITORY', 'echo', 'latest'], description: /^sha256:[0-9a-f]{12} · \d/ });
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
