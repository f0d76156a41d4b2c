import { NotificationRouter } from '../../src/panels/notificationRouter';
import { PanelSession, type PanelChannel, type PanelController } from '../../src/panels/panelSession';
import type { AnyPanelProtocol } from '../../src/protocol/webviewPanelProtocol';
import { Messenger, type HostPort } from '../../webview/common/messenger';

/**
 * A panel's two real halves joined without VS Code: the host's PanelSession and the page's Messenger, with
 * postMessage's structured clone and its asynchrony (each delivery in a later task) in between. A page can be
 * reloaded (a new Messenger, as VS Code builds a new page when a hidden panel is shown) and the panel hidden/shown.
 */
export class PanelLoopback<P extends AnyPanelProtocol> {
  readonly router = new NotificationRouter();
  readonly session: PanelSession<P>;
  readonly warnings: string[] = [];
  /** Everything the host posted, as the page received it (whether or not a page was listening). */
  readonly posted: unknown[] = [];
  page: Messenger<P>;
  private pageListeners = new Set<(data: unknown) => void>();

  constructor(
    private readonly protocol: P,
    controller: (channel: PanelChannel<P>) => PanelController<P>,
    private readonly options: { readonly visible?: boolean; readonly requestTimeoutMs?: number } = {},
  ) {
    this.session = new PanelSession({
      name: 'test panel',
      protocol,
      port: {
        postMessage: async (message) => {
          const copy = structuredClone(message);
          this.posted.push(copy);
          const listeners = [...this.pageListeners];
          setImmediate(() => listeners.forEach((listener) => listener(copy)));
          return true;
        },
      },
      router: this.router,
      log: { warn: (message) => this.warnings.push(message) },
      visible: options.visible ?? true,
    });
    this.session.attach(controller(this.session));
    this.page = this.newPage();
  }

  /** What the page posts, raw (to send what a typed Messenger would not). */
  postFromPage(value: unknown): void {
    const copy = structuredClone(value);
    setImmediate(() => this.session.receive(copy));
  }

  /** The old page is gone (its listeners too) and a new one starts, as after hide + show or a window reload. */
  reloadPage(): Messenger<P> {
    this.page.dispose();
    this.pageListeners = new Set();
    this.page = this.newPage();
    return this.page;
  }

  /** Lets every message in flight arrive (each hop is one setImmediate; a few rounds cover request → reply). */
  async settle(rounds = 6): Promise<void> {
    for (let round = 0; round < rounds; round++) await new Promise((resolve) => setImmediate(resolve));
  }

  private newPage(): Messenger<P> {
    const listeners = this.pageListeners;
    const port: HostPort = {
      postMessage: (message) => this.postFromPage(message),
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    return new Messenger(this.protocol, port, { requestTimeoutMs: this.options.requestTimeoutMs });
  }
}
