/**
 * Journeys:
 * - suspend, resume and drop a service from the Services view's context menu, and watch the tree
 *   follow: SUSPENDED after Suspend, RUNNING again after Resume, gone after Drop (which asks the user to
 *   type the service's name first, and leaves the service alone when the name is wrong). The Compute
 *   Pools view agrees once the service is dropped.
 * - suspend and resume a service whose container logs are followed: the progress notification stays
 *   with the passing state (SUSPENDING) and nothing says "Suspended" until the service has settled;
 *   then one message, with the tree saying the same; the log follow pauses with a notice instead of
 *   stopping (never as a login failure), and after the resume goes on with the new run's lines, none
 *   twice.
 *
 * drop-service.png in the README comes from here.
 */

import assert from 'node:assert/strict';
import {
  accountJourney,
  chooseContextMenuEntry,
  clickInlineAction,
  collapseView,
  developerConnection,
  expandTreePath,
  notificationText,
  notificationToast,
  openView,
  outputText,
  outputTextWhen,
  showOutputChannel,
  treeChildren,
  waitForQuickInputTitle,
  waitForTreeItem,
  waitForTreeItemGone,
  widenSideBar,
} from './accountWorkbench';
import { runCommand } from './workbench';

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

/** The access-log lines of the echo container: `10.0.0.7 - - [26/Nov/2026 01:10:05] "GET /healthcheck HTTP/1.1" 200 -`. */
const accessStamp = /\[(\d{2})\/(\w{3})\/(\d{4}) (\d{2}:\d{2}:\d{2})\] "(?:GET|POST) \//;

/** The time stamps of the access lines in `text`, in order. */
function accessStamps(text: string): number[] {
  return text
    .split('\n')
    .map((line) => accessStamp.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => Date.parse(`${match[1]} ${match[2]} ${match[3]} ${match[4]} UTC`));
}

const pool = [dev, 'DEMO_CPU_POOL'];
const echoInPool = [...pool, 'ECHO_SERVICE'];
const followedContainer = [...echoInPool, 'Instance 0', 'echo'];
const logChannel = 'SPCS Logs: ECHO_SERVICE/0/echo';
const pauseNotice = 'ECHO_SERVICE is suspended; following resumes when it runs again.';
const resumeNotice = 'ECHO_SERVICE runs again; following it from its new lines.';

accountJourney(
  'lifecycle: suspend and resume a service whose logs are followed: one message once the tree has settled, the follow pauses and goes on',
  async ({ page, step, screenshot, account }) => {
    /** ECHO_SERVICE's status as the emulator has it now (as the account administrator sees it). */
    const emulatorStatus = (): string => {
      const result = account.account.control.run("SHOW SERVICES LIKE 'ECHO_SERVICE' IN SCHEMA SPCS_DEMO.PUBLIC");
      if (!('rows' in result)) throw new Error('SHOW SERVICES did not finish at once');
      const column = result.columns.findIndex((each) => each.name === 'status');
      return String(result.rows[0]?.[column] ?? '');
    };

    await step('follow the echo container of ECHO_SERVICE from the Compute Pools view', async () => {
      await collapseView(page, 'Services');
      await openView(page, 'Compute Pools');
      await widenSideBar(page, 460);
      await expandTreePath(page, 'Compute Pools', followedContainer.slice(0, -1));
      const container = await waitForTreeItem(page, 'Compute Pools', { path: followedContainer, description: 'READY' });
      await clickInlineAction(container, 'Follow Logs');
      await showOutputChannel(page, logChannel);
      await outputTextWhen(page, (text) => accessStamps(text).length >= 2, 'access lines of the echo container', 30_000);
    });

    await step('Suspend Service: the progress stays, with the passing state, and nothing says "Suspended" yet', async () => {
      await chooseContextMenuEntry(page, await waitForTreeItem(page, 'Compute Pools', { path: echoInPool }), 'Suspend Service');
      const progress = notificationToast(page, /^Suspending service SPCS_DEMO\.PUBLIC\.ECHO_SERVICE…/);
      await progress.locator('.notification-list-item-details-row, .notification-list-item-message', { hasText: /SUSPENDING; Cancel stops waiting/ }).first().waitFor({ state: 'visible' });
      assert.equal(emulatorStatus(), 'SUSPENDING');
      assert.equal(await notificationToast(page, /^Suspended service/).count(), 0, 'no "Suspended" while it is SUSPENDING');
      await screenshot('suspending: the progress shows SUSPENDING');
    });

    await step('once SUSPENDED: one message, the progress gone, and the tree says SUSPENDED', async () => {
      const message = await notificationText(page, /^Suspended service SPCS_DEMO\.PUBLIC\.ECHO_SERVICE/, 30_000);
      assert.equal(emulatorStatus(), 'SUSPENDED', 'the message comes once the state has settled');
      assert.match(message, /^Suspended service SPCS_DEMO\.PUBLIC\.ECHO_SERVICE: its instances stopped/);
      await notificationToast(page, /^Suspending service/).waitFor({ state: 'hidden', timeout: 5_000 });
      await waitForTreeItem(page, 'Compute Pools', { path: echoInPool, description: /^SUSPENDED/, timeoutMs: 5_000 });
    });

    await step('the log follow pauses and says why, instead of stopping on a login error', async () => {
      await showOutputChannel(page, logChannel);
      await outputText(page, new RegExp(pauseNotice.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 30_000);
      assert.equal(await notificationToast(page, /Stopped following the logs/).count(), 0, 'the follow did not stop');
      assert.equal(await notificationToast(page, /rejected the login|credentials/i).count(), 0, 'no login failure');
    });

    await step('Resume Service: the progress stays until RUNNING, then one message, and the tree agrees', async () => {
      await chooseContextMenuEntry(page, await waitForTreeItem(page, 'Compute Pools', { path: echoInPool }), 'Resume Service');
      await notificationToast(page, /^Resuming service SPCS_DEMO\.PUBLIC\.ECHO_SERVICE…/).waitFor({ state: 'visible' });
      assert.equal(await notificationToast(page, /^Resumed service/).count(), 0, 'no "Resumed" while it is starting');
      const message = await notificationText(page, /^Resumed service SPCS_DEMO\.PUBLIC\.ECHO_SERVICE/, 60_000);
      assert.equal(emulatorStatus(), 'RUNNING', 'the message comes once the state has settled');
      assert.match(message, /^Resumed service SPCS_DEMO\.PUBLIC\.ECHO_SERVICE: RUNNING on compute pool DEMO_CPU_POOL\./);
      await waitForTreeItem(page, 'Compute Pools', { path: echoInPool, description: /^RUNNING/, timeoutMs: 5_000 });
    });

    await step('the follow goes on with the new run: its first lines after the notice, no line twice', async () => {
      await showOutputChannel(page, logChannel);
      await runCommand(page, 'View: Toggle Maximized Panel');
      const text = await outputTextWhen(
        page,
        (shown) => {
          const after = shown.split(resumeNotice)[1];
          return after !== undefined && accessStamps(after).length >= 2;
        },
        `"${resumeNotice}" and new access lines after it`,
        60_000,
      );
      const [before = '', after = ''] = text.split(resumeNotice);
      assert.match(after, /Starting echo service on port 8000/, 'the new run from its first line');
      assert.ok(before.includes(pauseNotice), 'the pause and the resumption are both on screen');
      const stamps = accessStamps(text);
      for (let index = 1; index < stamps.length; index++) {
        assert.ok((stamps[index] ?? 0) > (stamps[index - 1] ?? 0), `line ${index} is not newer than the one before:\n${text}`);
      }
    });
  },
  // Slower emulated time (5×) so that SUSPENDING lasts long enough to be seen, as on a real account.
  { account: { speed: 5 } },
);
