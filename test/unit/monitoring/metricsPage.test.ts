/**
 * The metrics panel's page policy: the webview's own sources (a keyword such as 'self', as
 * code-server names them, and host expressions) go into the Content-Security-Policy; anything that
 * could open a hole in the attribute or the policy is refused.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metricsPageHtml } from '../../../client/src/monitoring/metricsPage';

const page = (cspSource: string) => metricsPageHtml({ cspSource, nonce: 'abc123==', scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/x/metricsView.js', styleUri: 'https://file+.vscode-resource.vscode-cdn.net/x/metricsView.css', title: 'Metrics: LLM_SERVICE' });

describe('metrics page policy', () => {
  it("accepts the webview's keyword and host sources", () => {
    const html = page("'self' https://*.vscode-cdn.net");
    assert.match(html, /style-src &#39;self&#39; https:\/\/\*\.vscode-cdn\.net;/);
    assert.match(html, /script-src &#39;nonce-abc123==&#39;;/);
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
  });

  it('refuses a source that would break out of the policy or the attribute', () => {
    assert.throws(() => page("https://a.example; script-src 'unsafe-inline'"), /CSP source/);
    assert.throws(() => page('"><script>'), /CSP source/);
    assert.throws(() => page("'self' 'unsafe-inline'"), /CSP source/);
    assert.throws(() => page("'unsafe-eval'"), /CSP source/);
  });
});
