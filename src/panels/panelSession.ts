import { describeError } from '../core/util/errors';
import {
  checkFromWebview, type AnyPanelProtocol, type FromWebviewOf, type HostEnvelope, type RequestMethod, type RequestParams,
  type RequestResult, type ToWebviewOf,
} from '../protocol/webviewPanelProtocol';
import type { NotificationRouter, Topic } from './notificationRouter';
import { VisibleSubscription, type VisibleListener } from './visibleSubscription';

/** What a session needs of a webview: vscode.Webview provides it; tests pass a plain object. */
export interface WebviewPort {
  postMessage(message: unknown): PromiseLike<boolean>;
}

export interface PanelLog {
  warn(message: string): void;
}

/** One handler per request of the panel's protocol; a throw becomes an error reply. */
export type RequestHandlers<P extends AnyPanelProtocol> = {
  readonly [M in RequestMethod<P>]: (params: RequestParams<P, M>) => RequestResult<P, M> | PromiseLike<RequestResult<P, M>>;
};

/** What a panel's own logic (dashboardPanel.ts, weightsPanel.ts, …) may do with its webview. */
export interface PanelChannel<P extends AnyPanelProtocol> {
  /** Sends now if the page is ready; otherwise drops it (what a reloaded page must see goes through setState). */
  post(message: ToWebviewOf<P>): void;
  /** The panel's state: sent now if the page is ready, and replayed to every page that loads later. */
  setState(message: ToWebviewOf<P>): void;
  /** Engine notifications of these topics while the panel is visible; ends with the panel. */
  follow<T extends Topic>(topics: readonly T[], listener: VisibleListener<T>): void;
}

/** A panel's own logic, built by its definition with a channel (see panelDefinition.ts). */
export interface PanelController<P extends AnyPanelProtocol> {
  /** A page loaded and listens (first open, shown again, window reloaded); `replayed`: the last state was just sent to it. */
  ready?(replayed: boolean): void;
  received?(message: FromWebviewOf<P>): void;
  readonly requests: RequestHandlers<P>;
  dispose?(): void;
}

/**
 * The host side of one panel's conversation with its webview, with no vscode in it (panelHost.ts feeds it the
 * webview's messages and visibility): the ready handshake, guards on arrival, the last state replayed to each new
 * page, request ids answered with a result or an error, and engine notifications only while visible.
 *
 * Pages come and go (retainContextWhenHidden is off: hiding a panel destroys its page), so every page gets a
 * generation; a reply computed for a page that has since gone is dropped, never delivered to its successor.
 */
export class PanelSession<P extends AnyPanelProtocol> implements PanelChannel<P> {
  private controller: PanelController<P> | undefined;
  private pageReady = false;
  private generation = 0;
  private state: { readonly message: ToWebviewOf<P> } | undefined;
  private visible: boolean;
  private readonly subscriptions: { setVisible(visible: boolean): void; dispose(): void }[] = [];
  private disposed = false;

  constructor(private readonly options: {
    readonly name: string;
    readonly protocol: P;
    readonly port: WebviewPort;
    readonly router: NotificationRouter;
    readonly log: PanelLog;
    readonly visible: boolean;
  }) {
    this.visible = options.visible;
  }

  /** Two steps, because a controller is built with this session as its channel. */
  attach(controller: PanelController<P>): void {
    this.controller = controller;
  }

  get ready(): boolean {
    return this.pageReady;
  }

  post(message: ToWebviewOf<P>): void {
    if (this.pageReady) this.send({ kind: 'message', message });
  }

  setState(message: ToWebviewOf<P>): void {
    this.state = { message };
    this.post(message);
  }

  follow<T extends Topic>(topics: readonly T[], listener: VisibleListener<T>): void {
    if (this.disposed) return;
    this.subscriptions.push(new VisibleSubscription(this.options.router, topics, listener, this.visible));
  }

  /** Called with every message the webview posts. */
  receive(value: unknown): void {
    if (this.disposed) return;
    const checked = checkFromWebview(this.options.protocol, value);
    if (!checked.ok) {
      this.options.log.warn(`${this.options.name}: refused ${checked.reason} from its webview`);
      if (checked.requestId !== undefined && this.pageReady) this.reply(checked.requestId, this.generation, { ok: false, error: `refused: ${checked.reason}` });
      return;
    }
    const envelope = checked.envelope;
    switch (envelope.kind) {
      case 'ready': {
        this.generation++;
        this.pageReady = true;
        const replay = this.state;
        if (replay) this.send({ kind: 'message', message: replay.message });
        this.controller?.ready?.(replay !== undefined);
        return;
      }
      case 'message':
        this.controller?.received?.(envelope.message);
        return;
      case 'request':
        void this.answer(envelope.id, envelope.method as RequestMethod<P>, envelope.params);
        return;
    }
  }

  /** The panel was shown or hidden. Hidden, its page is destroyed: nothing is sent until a new page says ready. */
  setVisible(visible: boolean): void {
    if (this.disposed || visible === this.visible) return;
    this.visible = visible;
    if (!visible) {
      this.pageReady = false;
      this.generation++;
    }
    for (const subscription of this.subscriptions) subscription.setVisible(visible);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pageReady = false;
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    this.controller?.dispose?.();
  }

  private async answer<M extends RequestMethod<P>>(id: number, method: M, params: unknown): Promise<void> {
    const generation = this.generation;
    const handler = this.controller?.requests[method];
    if (!handler) {
      this.reply(id, generation, { ok: false, error: `no handler for ${method}` });
      return;
    }
    try {
      const result = await handler(params as RequestParams<P, M>);
      this.reply(id, generation, { ok: true, result });
    } catch (error) {
      this.reply(id, generation, { ok: false, error: describeError(error) });
    }
  }

  private reply(id: number, generation: number, outcome: { ok: true; result: unknown } | { ok: false; error: string }): void {
    if (this.disposed || !this.pageReady || generation !== this.generation) return;
    this.send({ kind: 'response', id, ...outcome });
  }

  private send(envelope: HostEnvelope<ToWebviewOf<P>>): void {
    // postMessage rejects once the panel is disposed; there is nobody left to tell.
    Promise.resolve(this.options.port.postMessage(envelope)).catch(() => undefined);
  }
}
