import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';

/**
 * Hostile strings for every place where text from relays or the chain is shown, and one assertion that a surface
 * showed them as text. A payload that runs sets `window[XSS_FLAG]`; an element a payload would create carries the
 * attribute XSS_PROBE. Webviews also have a strict CSP, which would stop most payloads from running even if they
 * became HTML, so the flag alone would prove little: the probe attribute catches text that became HTML whether or
 * not it could run.
 *
 * For a new panel: feed these through the real path (a simulated DVM's profile, a node's answers), open the panel,
 * and call `assertShownAsText(frame, [...what the panel should show])` with its content frame.
 */

export const XSS_FLAG = '__swarmscopeXss';
export const XSS_PROBE = 'data-swarmscope-xss';

const RUN = `window.${XSS_FLAG}=1`;

/** Markup and URLs that act when parsed or followed as HTML. */
export const HTML_PAYLOADS = {
  imgOnerror: `<img src=x ${XSS_PROBE} onerror="${RUN}">`,
  script: `<script ${XSS_PROBE}>${RUN}</script>`,
  svgOnload: `<svg ${XSS_PROBE} onload="${RUN}"></svg>`,
  iframeSrcdoc: `<iframe ${XSS_PROBE} srcdoc="<script>parent.${XSS_FLAG}=1</script>"></iframe>`,
  javascriptLink: `<a ${XSS_PROBE} href="javascript:${RUN}">open</a>`,
  javascriptUrl: `javascript:${RUN}`,
} as const;

/** Text that VS Code would act on (a command link, an icon) rather than show. */
export const COMMAND_LINK = '[click](command:workbench.action.quit)';
export const ICON_SYNTAX = '$(zap)';

/** A file name that reads "txt.exe" backwards: RIGHT-TO-LEFT OVERRIDE … POP DIRECTIONAL FORMATTING. */
export const BIDI_OVERRIDE = 'invoice\u202Etxt.exe\u202C';

/** Clear-screen, a window title (OSC 0), a bell, a line break, a C1 control and a zero-width space. */
export const CONTROL_CHARACTERS = '\u001b[2J\u001b]0;owned\u0007\n\u009b31m\u200b';

/**
 * As long as text from one event can be: the engine drops events over 64 KiB of JSON as `oversized`, so this leaves
 * room for the rest of a profile. (Relays cap content too: @nostr-relay's validator at 100 KiB.)
 */
export const LONG_TEXT = 'W'.repeat(57_000);

/** Every payload in one string, the short ones first so that any cut keeps them; the long text last. */
export function hostileText(prefix = ''): string {
  return [prefix, COMMAND_LINK, ICON_SYNTAX, CONTROL_CHARACTERS, BIDI_OVERRIDE, ...Object.values(HTML_PAYLOADS), LONG_TEXT]
    .filter(Boolean).join(' ');
}

/** Anything with `locator`: a Playwright Page, Frame or FrameLocator (a webview panel's content frame). */
export interface Surface {
  locator(selector: string): Locator;
}

/**
 * Asserts that nothing hostile ran or became markup in `surface`, and that each of `shown` appears in its text
 * exactly (so it was shown as text, not dropped). Reads the DOM once, from inside the frame.
 */
export async function assertShownAsText(surface: Surface, shown: readonly string[], what = 'the panel'): Promise<void> {
  // Inline arrows only inside evaluate: tsx would wrap a named helper in `__name(…)`, which the page lacks.
  const seen = await surface.locator(':root').evaluate((root, [flag, probe]) => ({
    ran: (globalThis as unknown as Record<string, unknown>)[flag] !== undefined,
    probes: root.querySelectorAll(`[${probe}]`).length,
    javascriptUrls: [...root.querySelectorAll('[href], [src], [action], [formaction]')]
      .filter((element) => ['href', 'src', 'action', 'formaction'].some((name) => /^\s*javascript:/i.test(element.getAttribute(name) ?? '')))
      .length,
    text: (root.querySelector('body') ?? root).textContent ?? '',
  }), [XSS_FLAG, XSS_PROBE] as const);
  assert.equal(seen.ran, false, `a payload ran in ${what} (window.${XSS_FLAG} is set)`);
  assert.equal(seen.probes, 0, `${seen.probes} element(s) in ${what} came from untrusted text parsed as HTML`);
  assert.equal(seen.javascriptUrls, 0, `${what} holds a javascript: URL in a link or source attribute`);
  for (const text of shown) {
    assert.ok(seen.text.includes(text), `${what} does not show ${JSON.stringify(text.slice(0, 120))} as text; it shows ${JSON.stringify(seen.text.slice(0, 600))}`);
  }
}
