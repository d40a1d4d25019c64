/**
 * Journey: follow a container's logs from the tree, as a user does: the inline "Follow Logs" button
 * of ECHO_SERVICE's `echo` container opens the output channel `SPCS Logs: ECHO_SERVICE/0/echo`, which
 * shows the recent lines and then new ones as the emulator writes them (emulated time runs 20× faster:
 * the echo container logs a request every 5 emulated seconds, a quarter of a second here).
 *
 * No line is shown twice: each access-log line carries its own time stamp (`[26/Nov/2026 01:10:05]`,
 * one per 5 emulated seconds), so several reads of the Output panel must each show them strictly
 * increasing, and the newest stamp must keep growing from read to read.
 *
 * logs-follow.png in the README comes from here.
 */

import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { accountJourney, clickInlineAction, collapseView, developerConnection, expandTreePath, outputTextWhen, waitForTreeItem, widenSideBar } from './accountWorkbench';

const dev = developerConnection;
const channel = 'SPCS Logs: ECHO_SERVICE/0/echo';

/** The access-log lines of the echo container: `10.0.0.7 - - [26/Nov/2026 01:10:05] "GET /healthcheck HTTP/1.1" 200 -`. */
const accessLine = /\[(\d{2})\/(\w{3})\/(\d{4}) (\d{2}:\d{2}:\d{2})\] "(?:GET|POST) \//;

interface Read {
  /** The access-log lines on screen, in order. */
  readonly lines: string[];
  /** Their time stamps, in milliseconds. */
  readonly stamps: number[];
}

function accessLines(text: string): Read {
  const lines: string[] = [];
  const stamps: number[] = [];
  for (const line of text.split('\n')) {
    const match = accessLine.exec(line);
    if (match) {
      lines.push(line);
      stamps.push(Date.parse(`${match[1]} ${match[2]} ${match[3]} ${match[4]} UTC`));
    }
  }
  return { lines, stamps };
}

/** Reads the Output panel until it shows an access line newer than `after`. */
async function readNewer(page: Page, after: number): Promise<Read> {
  let read: Read = { lines: [], stamps: [] };
  await outputTextWhen(
    page,
    (text) => {
      read = accessLines(text);
      const newest = read.stamps[read.stamps.length - 1];
      return newest !== undefined && newest > after;
    },
    `an access-log line newer than ${new Date(after).toISOString()}`,
    30_000,
  );
  return read;
}

accountJourney('logs: follow a container from the tree, new lines arrive, none twice', async ({ page, step }) => {
  await step('open ECHO_SERVICE › Instance 0 in the Compute Pools view', async () => {
    await collapseView(page, 'Services');
    await widenSideBar(page, 460);
    await expandTreePath(page, 'Compute Pools', [dev, 'DEMO_CPU_POOL', 'ECHO_SERVICE', 'Instance 0']);
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL', 'ECHO_SERVICE', 'Instance 0', 'echo'], description: 'READY' });
  });

  await step('the echo container\'s inline "Follow Logs" button opens its log channel', async () => {
    const container = await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL', 'ECHO_SERVICE', 'Instance 0', 'echo'] });
    await clickInlineAction(container, 'Follow Logs');
    await page.locator('.part.panel .output-view').waitFor({ state: 'visible' });
    await page
      .locator('.part.panel select.monaco-select-box')
      .filter({ has: page.locator('option:checked', { hasText: channel }) })
      .first()
      .waitFor({ state: 'attached' });
  });

  const first = await step('the channel shows the container\'s recent lines', async () => {
    const read = await readNewer(page, 0);
    assert.ok(read.lines.length >= 2, `some access lines are on screen: ${read.lines.join('\n')}`);
    return read;
  });

  let newest = first.stamps[first.stamps.length - 1] ?? 0;
  const reads: Read[] = [first];
  for (const round of [1, 2, 3]) {
    const read = await step(`new lines arrive (read ${round})`, () => readNewer(page, newest));
    reads.push(read);
    newest = read.stamps[read.stamps.length - 1] ?? newest;
  }

  await step('no line is shown twice: every read is strictly increasing, and the newest stamp grows', () => {
    for (const [index, read] of reads.entries()) {
      assert.equal(new Set(read.lines).size, read.lines.length, `read ${index} repeats a line:\n${read.lines.join('\n')}`);
      for (let at = 1; at < read.stamps.length; at++) {
        assert.ok((read.stamps[at] ?? 0) > (read.stamps[at - 1] ?? 0), `read ${index}: line ${at} is not newer than the one before:\n${read.lines.join('\n')}`);
      }
    }
    const newestOf = reads.map((read) => read.stamps[read.stamps.length - 1] ?? 0);
    for (let at = 1; at < newestOf.length; at++) {
      assert.ok((newestOf[at] ?? 0) > (newestOf[at - 1] ?? 0), `the newest line grows from read to read: ${newestOf.map((stamp) => new Date(stamp).toISOString()).join(', ')}`);
    }
    return Promise.resolve();
  });
});
