import type { Page } from 'playwright-core';

/**
 * Where a webview panel's first paint goes before our page runs, step by step, for the trace and dashboard benches.
 * A script put in every frame of the workbench (the workbench, VS Code's webview host page `pre/index.html`, and
 * the `fake.html` frame our HTML is written into) stamps, in epoch ms: frames and iframes made, the host page's
 * service-worker registration and its `controllerchange`, every message on the workbench ↔ host-page MessagePort
 * (`webview-ready`, `content`, `message`, `did-load-resource`…), the HTML written into the inner frame, its `load`,
 * and the frame made visible. `shellSteps` reads the stamps of the last open back, relative to Enter.
 */
export async function stampWebviewShell(page: Page): Promise<void> {
  await page.context().addInitScript(SHELL_STAMPS);
  // The workbench's own frame is already loaded: stamp it now.
  await page.evaluate(SHELL_STAMPS);
}

export interface ShellStep {
  readonly frame: string;
  readonly what: string;
  readonly ms: number;
}

/** The stamps of every frame now open, from `since` (epoch ms) on, oldest first. */
export async function shellSteps(page: Page, since: number): Promise<ShellStep[]> {
  const steps: ShellStep[] = [];
  for (const frame of page.frames()) {
    const path = new URL(frame.url() || 'about:blank').pathname;
    const name = path.endsWith('/fake.html') ? 'page' : path.includes('/webview/browser/pre/') ? 'host' : frame === page.mainFrame() ? 'workbench' : path;
    const log = await frame.evaluate('globalThis.__shellLog ?? []').catch(() => []) as [string, number][];
    for (const [what, at] of log) if (at >= since) steps.push({ frame: name, what, ms: at - since });
  }
  return steps.sort((a, b) => a.ms - b.ms);
}

/** One line: `frame:what ms` at the first time of each step, and how many times it came when more than once (port messages repeat). */
export function describeShellSteps(steps: readonly ShellStep[]): string {
  const first = new Map<string, { ms: number; count: number }>();
  for (const step of steps) {
    const key = `${step.frame}:${step.what}`;
    const seen = first.get(key);
    if (seen) seen.count++;
    else first.set(key, { ms: step.ms, count: 1 });
  }
  return [...first].map(([key, { ms, count }]) => `${key} ${ms.toFixed(0)}${count > 1 ? ` (×${count})` : ''}`).join(', ');
}

// A string: it runs in the browser's frames, not in Node.
const SHELL_STAMPS = `(() => {
  if (globalThis.__shellLog) return;
  const log = (globalThis.__shellLog = []);
  const at = (what) => log.push([what, performance.timeOrigin + performance.now()]);
  log.push(['navigation', performance.timeOrigin]);
  at('script');
  document.addEventListener('DOMContentLoaded', () => at('domcontentloaded'));
  addEventListener('load', () => at('load'));
  const sw = navigator.serviceWorker;
  if (sw && location.pathname.includes('/webview/browser/pre/index')) {
    const register = sw.register.bind(sw);
    sw.register = (...args) => {
      at('sw.register' + (sw.controller ? ' (controlled by ' + new URL(sw.controller.scriptURL).searchParams.get('id')?.slice(0, 8) + ')' : ' (no controller)'));
      return register(...args).then((registration) => {
        at('sw.registered' + (registration.installing ? ' installing' : registration.waiting ? ' waiting' : ' active'));
        const worker = registration.installing;
        worker?.addEventListener('statechange', () => at('sw.' + worker.state));
        return registration;
      });
    };
    sw.addEventListener('controllerchange', () => at('sw.controllerchange'));
    sw.addEventListener('message', (event) => at('sw.message ' + (event.data && event.data.channel)));
  }
  addEventListener('message', (event) => {
    const data = event.data;
    const channel = data && (data.channel || data.type || (data.kind === 'message' && data.message && data.message.type) || data.kind);
    if (typeof channel === 'string') at('window.message ' + channel);
  }, true);
  const post = MessagePort.prototype.postMessage;
  MessagePort.prototype.postMessage = function (data, ...rest) {
    if (data && typeof data.channel === 'string') at('port.out ' + data.channel);
    return post.call(this, data, ...rest);
  };
  const onmessage = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage');
  Object.defineProperty(MessagePort.prototype, 'onmessage', {
    configurable: true,
    get() { return onmessage.get.call(this); },
    set(handler) {
      onmessage.set.call(this, handler && function (event) {
        if (event.data && typeof event.data.channel === 'string') at('port.in ' + event.data.channel);
        return handler.call(this, event);
      });
    },
  });
  const write = Document.prototype.write;
  Document.prototype.write = function (...args) { at('document.write'); return write.apply(this, args); };
  const watch = () => new MutationObserver((changes) => {
    for (const change of changes) {
      for (const node of change.addedNodes) if (node.tagName === 'IFRAME') at('iframe added ' + (node.className || node.getAttribute('src') || '').toString().slice(0, 30));
      if (change.type === 'attributes' && change.target.tagName === 'IFRAME') {
        const frame = change.target;
        if (change.attributeName === 'id' && frame.id === 'active-frame') at('frame active');
        if (change.attributeName === 'class' && frame.classList.contains('ready')) at('iframe ready');
      }
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['id', 'class'] });
  if (document.documentElement) watch(); else document.addEventListener('readystatechange', watch, { once: true });
})();`;
