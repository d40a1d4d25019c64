/**
 * Journey: suspend, resume and drop a service from the Services view's context menu, and watch the
 * tree follow: SUSPENDED after Suspend, RUNNING again after Resume, gone after Drop (which asks the user
 * to type the service's name first, and leaves the service alone when the name is wrong). The Compute
 * Pools view agrees once the service is dropped.
 *
 * drop-service.png in the README comes from here.
 */

import assert from 'node:assert/strict';
import {
  accountJourney,
  chooseContextMenuEntry,
  collapseView,
  developerConnection,
  expandTreePath,
  notificationText,
  notificationToast,
  openView,
  treeChildren,
  waitForQuickInputTitle,
  waitForTreeItem,
  waitForTreeItemGone,
  widenSideBar,
} from './accountWorkbench';

const dev = developerConnection;
const echo = [dev, 'SPCS_DEMO.PUBLIC', 'ECHO_SERVICE'];
/**
 * SUSPENDING and PENDING last about a second at the emulator's 20× speed: the tree must show the settled
 * state well before the views' automatic refresh (every 30 s) would.
 */
const stateTimeoutMs = 15_000;

accountJourney('lifecycle: suspend, resume and drop a service from the tree', async ({ page, step, screenshot }) => {
  await step('open SPCS_DEMO.PUBLIC in the Services view', async () => {
    await collapseView(page, 'Compute Pools');
    await openView(page, 'Services');
    await widenSideBar(page, 460);
    await expandTreePath(page, 'Services', echo.slice(0, 2));
    await waitForTreeItem(page, 'Services', { path: echo, description: /^RUNNING · 2\/2/ });
  });

  await step('Suspend Service: the tree shows ECHO_SERVICE SUSPENDED', async () => {
    await chooseContextMenuEntry(page, await waitForTreeItem(page, 'Services', { path: echo }), 'Suspend Service');
    await notificationText(page, /^Suspended service SPCS_DEMO\.PUBLIC\.ECHO_SERVICE/);
    await waitForTreeItem(page, 'Services', { path: echo, description: /^SUSPENDED/, timeoutMs: stateTimeoutMs });
  });

  await step('Resume Service: the tree shows it RUNNING again', async () => {
    await chooseContextMenuEntry(page, await waitForTreeItem(page, 'Services', { path: echo }), 'Resume Service');
    await notificationText(page, /^Resumed service SPCS_DEMO\.PUBLIC\.ECHO_SERVICE/);
    await waitForTreeItem(page, 'Services', { path: echo, description: /^RUNNING/, timeoutMs: stateTimeoutMs });
  });

  await step('Drop Service…: a wrong name is refused, the service stays', async () => {
    await chooseContextMenuEntry(page, await waitForTreeItem(page, 'Services', { path: echo }), 'Drop Service…');
    await waitForQuickInputTitle(page, 'Drop service SPCS_DEMO.PUBLIC.ECHO_SERVICE');
    const input = page.locator('.quick-input-widget input.input');
    await input.fill('ECHO');
    await page.locator('.quick-input-widget .quick-input-message', { hasText: 'Type ECHO_SERVICE exactly to drop it.' }).waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await waitForTreeItem(page, 'Services', { path: echo });
  });

  await step('Drop Service… asks to type the name', async () => {
    await chooseContextMenuEntry(page, await waitForTreeItem(page, 'Services', { path: echo }), 'Drop Service…');
    await waitForQuickInputTitle(page, 'Drop service SPCS_DEMO.PUBLIC.ECHO_SERVICE');
    await page.locator('.quick-input-widget .quick-input-message', { hasText: /cannot be undone\. Type ECHO_SERVICE to confirm/ }).waitFor({ state: 'visible' });
    await page.locator('.quick-input-widget input.input').fill('ECHO_SERVICE');
    // The look at the service before asking (DESCRIBE, for block volumes) is over: its progress goes away.
    await notificationToast(page, /^Checking service/).waitFor({ state: 'hidden' });
  });

  await step('typing ECHO_SERVICE drops it: gone from the Services view', async () => {
    await page.keyboard.press('Enter');
    await waitForTreeItemGone(page, 'Services', echo, stateTimeoutMs);
    await screenshot('dropped');
    await notificationText(page, /^Dropped service SPCS_DEMO\.PUBLIC\.ECHO_SERVICE/);
    const services = (await treeChildren(page, 'Services', echo.slice(0, 2))).map((service) => service.label);
    assert.ok(services.includes('LLM_SERVICE'), `the other services stay: ${services.join(', ')}`);
  });

  await step('and gone from DEMO_CPU_POOL in the Compute Pools view', async () => {
    await collapseView(page, 'Services');
    await expandTreePath(page, 'Compute Pools', [dev, 'DEMO_CPU_POOL']);
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL', 'ORDERS_SERVICE'] });
    await waitForTreeItemGone(page, 'Compute Pools', [dev, 'DEMO_CPU_POOL', 'ECHO_SERVICE']);
  });
});
