import {
  checkFromHost, type AnyPanelProtocol, type FromWebviewOf, type RequestMethod, type RequestParams, type RequestResult,
  type ToWebviewOf, type WebviewEnvelope,
} from '../../src/protocol/webviewPanelProtocol';

/** What the messenger needs of the page's link to VS Code (hostApi.ts wires it to window and acquireVsCodeApi). */
export interface HostPort {
  postMessage(message: unknown): void;
  /** Calls `listener` with every message that arrives; returns how to stop. */
  subscribe(listener: (data: unknown) => void): () => void;
}

/** Why an arriving message was not acted on; `messageType` names a panel message that failed its guard. */
export interface Refusal {
  readonly reason: string;
  readonly messageType?: string;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

interface Pending {
  readonly method: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * The page's side of the panel envelope (src/protocol/webviewPanelProtocol.ts): post a message, make a request and
 * await its result (or its error reply, or a timeout: a page never waits forever), and receive only what passes the
 * panel's guards. No DOM here, so it runs in plain Node against the host's real PanelSession in the unit tests.
 * (Models: gitlens apps/shared/ipc.ts sendCommandWithCompletion; vscode-hexeditor MessageHandler, plus errors and
 * timeouts.)
 */
export class Messenger<P extends AnyPanelProtocol> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(message: ToWebviewOf<P>) => void>();
  private readonly refusalListeners = new Set<(refusal: Refusal) => void>();
  private readonly unsubscribe: () => void;
  private disposed = false;

  constructor(
    private readonly protocol: P,
    private readonly port: HostPort,
    private readonly options: { readonly requestTimeoutMs?: number } = {},
  ) {
    this.unsubscribe = port.subscribe((data) => this.receive(data));
  }

  /** Each message from the host that passed the panel's guard. */
  onMessage(listener: (message: ToWebviewOf<P>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Each message that did not pass: pages may say so (a message of ours that fails its guard is a bug to show). */
  onRefused(listener: (refusal: Refusal) => void): () => void {
    this.refusalListeners.add(listener);
    return () => this.refusalListeners.delete(listener);
  }

  /** Tells the host this page listens; it answers by replaying the panel's state. Call once listeners are set. */
  ready(): void {
    this.send({ kind: 'ready' });
  }

  post(message: FromWebviewOf<P>): void {
    this.send({ kind: 'message', message });
  }

  request<M extends RequestMethod<P>>(method: M, params: RequestParams<P, M>, timeoutMs = this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS): Promise<RequestResult<P, M>> {
    if (this.disposed) return Promise.reject(new Error(`${method}: the page is closing`));
    const id = this.nextId++;
    return new Promise<RequestResult<P, M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer from the extension within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (result: unknown) => void, reject, timer });
      this.send({ kind: 'request', id, method, params });
    });
  }

  /** Requests still waiting for their answer. */
  get waiting(): number {
    return this.pending.size;
  }

  dispose(): void {
    this.disposed = true;
    this.unsubscribe();
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`${pending.method}: the page is closing`));
      this.pending.delete(id);
    }
  }

  private receive(data: unknown): void {
    if (this.disposed) return;
    const checked = checkFromHost(this.protocol, data);
    if (!checked.ok) {
      if (checked.requestId !== undefined) this.settle(checked.requestId, new Error(`refused the answer: ${checked.reason}`));
      this.refuse(checked.reason, data);
      return;
    }
    const envelope = checked.envelope;
    if (envelope.kind === 'message') {
      for (const listener of [...this.listeners]) listener(envelope.message);
      return;
    }
    const pending = this.pending.get(envelope.id);
    if (!pending) return; // Timed out already: the caller has its error.
    if (!envelope.ok) {
      this.settle(envelope.id, new Error(envelope.error));
      return;
    }
    const spec = this.protocol.requests[pending.method];
    if (!spec.result(envelope.result)) {
      this.settle(envelope.id, new Error(`${pending.method}: refused a malformed result`));
      this.refuse(`a malformed result for ${pending.method}`, data);
      return;
    }
    this.settle(envelope.id, undefined, envelope.result);
  }

  private settle(id: number, error: Error | undefined, result?: unknown): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (error) pending.reject(error);
    else pending.resolve(result);
  }

  private refuse(reason: string, data: unknown): void {
    const message = typeof data === 'object' && data !== null ? (data as { message?: unknown }).message : undefined;
    const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
    const refusal: Refusal = typeof type === 'string' ? { reason, messageType: type } : { reason };
    for (const listener of [...this.refusalListeners]) listener(refusal);
  }

  private send(envelope: WebviewEnvelope<FromWebviewOf<P>>): void {
    this.port.postMessage(envelope);
  }
}
