/**
 * Plays the user's browser in the EXTERNALBROWSER flow against the emulator, for the tests that sign
 * in through it (test/emulator, test/client): the extension itself opens the real browser. Pass the
 * result as the driver's `openExternalBrowserCallback` (with `disableConsoleLogin: false`).
 *
 * The driver builds `https://<host>/console/login?login_name=…&proof_key=…&browser_mode_redirect_port=N`
 * (always https and without the port, so it cannot be opened as is). This callback asks the
 * emulator for the same path and query, and follows the emulator's redirect to
 * `http://localhost:N/?token=…`, which is the driver's own listener. If anything fails it sends the
 * driver `?error=…` so that the connect fails at once instead of waiting for the browser timeout.
 */

import http from 'node:http';

function get(url: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { Accept: 'text/html' } }, (response) => {
      // The driver's listener answers and closes the socket at once; a reset after that is harmless.
      response.on('error', () => undefined);
      response.resume();
      resolve(response);
    });
    request.on('error', reject);
  });
}

/** Returns an `openExternalBrowserCallback` that logs in through the emulator at `emulatorUrl` (e.g. `http://127.0.0.1:54321`). */
export function emulatorBrowser(emulatorUrl: string): (loginUrl: string) => void {
  return (loginUrl: string) => {
    void openLogin(emulatorUrl, loginUrl);
  };
}

async function openLogin(emulatorUrl: string, loginUrl: string): Promise<void> {
  const driverUrl = new URL(loginUrl);
  const redirectPort = driverUrl.searchParams.get('browser_mode_redirect_port');
  try {
    const consoleResponse = await get(new URL(`${driverUrl.pathname}${driverUrl.search}`, emulatorUrl).toString());
    const location = consoleResponse.headers.location;
    if (consoleResponse.statusCode !== 302 || location === undefined) throw new Error(`the emulator answered ${consoleResponse.statusCode} to the console login`);
    await get(location);
  } catch (error) {
    if (redirectPort === null) return;
    const description = encodeURIComponent(error instanceof Error ? error.message : String(error));
    await get(`http://localhost:${redirectPort}/?error=emulator_browser_failed&error_description=${description}`).catch(() => undefined);
  }
}
