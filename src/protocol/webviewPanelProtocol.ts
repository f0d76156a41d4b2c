/**
 * The envelope every Swarmscope webview panel speaks, on both sides (src/panels/panelSession.ts on the host,
 * webview/common/messenger.ts in the page). No vscode and no DOM here.
 *
 * A panel's own messages (its `ToWebview` / `FromWebview` unions, one protocol file per panel) travel inside it:
 * - webview → host: `ready` (the page has loaded and listens: the host replays the panel's last state), a `message`
 *   that wants no answer, or a `request` with an id;
 * - host → webview: a `message`, or the `response` to a request, echoing its id, with a result or an error.
 * Each side checks what arrives with the panel's guards before acting on it (models: vscode-hexeditor
 * shared/protocol.ts `messageId`/`inReplyTo`; gitlens webviews/ipc `IpcRequest` carrying its response type).
 */

/** A runtime check that an incoming value has type T. */
export type Guard<T> = (value: unknown) => value is T;

/** One request the webview may make: a guard for its params (checked by the host) and one for its result (checked by the webview). */
export interface RequestSpec<Params, Result> {
  readonly params: Guard<Params>;
  readonly result: Guard<Result>;
}

/** A panel's requests by method name (an interface or a type literal; F-bounded so interfaces fit too). */
export type RequestSpecs<R> = { readonly [M in keyof R]: RequestSpec<any, any> };

/** A panel's protocol: its guards, as values, so that both sides check with the same functions. */
export interface PanelProtocol<ToWebview, FromWebview, Requests extends RequestSpecs<Requests> = Record<never, never>> {
  /** Messages host → webview. */
  readonly toWebview: Guard<ToWebview>;
  /** Messages webview → host that want no answer. */
  readonly fromWebview: Guard<FromWebview>;
  /** Requests webview → host, by method name. */
  readonly requests: Requests;
}

export type AnyPanelProtocol = PanelProtocol<any, any, any>;
export type ToWebviewOf<P> = P extends PanelProtocol<infer T, infer _F, infer _R> ? T : never;
export type FromWebviewOf<P> = P extends PanelProtocol<infer _T, infer F, infer _R> ? F : never;
export type RequestsOf<P> = P extends PanelProtocol<infer _T, infer _F, infer R> ? R : never;
export type RequestMethod<P> = keyof RequestsOf<P> & string;
export type RequestParams<P, M extends RequestMethod<P>> = RequestsOf<P>[M] extends RequestSpec<infer Params, infer _R> ? Params : never;
export type RequestResult<P, M extends RequestMethod<P>> = RequestsOf<P>[M] extends RequestSpec<infer _P, infer Result> ? Result : never;

export type WebviewEnvelope<FromWebview = unknown> =
  | { readonly kind: 'ready' }
  | { readonly kind: 'message'; readonly message: FromWebview }
  | { readonly kind: 'request'; readonly id: number; readonly method: string; readonly params: unknown };

export type HostEnvelope<ToWebview = unknown> =
  | { readonly kind: 'message'; readonly message: ToWebview }
  | { readonly kind: 'response'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly kind: 'response'; readonly id: number; readonly ok: false; readonly error: string };

/** What a guard made of an incoming value: the checked envelope, or why it was refused (and which request to fail). */
export type Checked<T> =
  | { readonly ok: true; readonly envelope: T }
  | { readonly ok: false; readonly reason: string; readonly requestId?: number };

/**
 * Checks a message from the webview against the panel's protocol. A request that names an unknown method or
 * carries bad params is refused with its id, so the host can answer it with an error instead of leaving the
 * webview to time out.
 */
export function checkFromWebview<P extends AnyPanelProtocol>(protocol: P, value: unknown): Checked<WebviewEnvelope<FromWebviewOf<P>>> {
  if (!isRecord(value)) return refused('not an object');
  switch (value.kind) {
    case 'ready':
      return { ok: true, envelope: { kind: 'ready' } };
    case 'message':
      return protocol.fromWebview(value.message)
        ? { ok: true, envelope: { kind: 'message', message: value.message } }
        : refused(`a message this panel does not know (${describeType(value.message)})`);
    case 'request': {
      if (!isRequestId(value.id)) return refused('a request without a valid id');
      const { id, method } = value;
      if (typeof method !== 'string' || !Object.hasOwn(protocol.requests, method)) return refused(`an unknown request ${JSON.stringify(String(method))}`, id);
      if (!protocol.requests[method].params(value.params)) return refused(`malformed params for ${method}`, id);
      return { ok: true, envelope: { kind: 'request', id, method, params: value.params } };
    }
    default:
      return refused(`an unknown envelope kind ${JSON.stringify(String(value.kind))}`);
  }
}

/**
 * Checks a message from the host. A response's result is checked later, by the messenger that knows which
 * request (and so which result guard) its id belongs to.
 */
export function checkFromHost<P extends AnyPanelProtocol>(protocol: P, value: unknown): Checked<HostEnvelope<ToWebviewOf<P>>> {
  if (!isRecord(value)) return refused('not an object');
  if (value.kind === 'message') {
    return protocol.toWebview(value.message)
      ? { ok: true, envelope: { kind: 'message', message: value.message } }
      : refused(`a message this panel does not know (${describeType(value.message)})`);
  }
  if (value.kind === 'response' && isRequestId(value.id)) {
    if (value.ok === true && 'result' in value) return { ok: true, envelope: { kind: 'response', id: value.id, ok: true, result: value.result } };
    if (value.ok === false && typeof value.error === 'string') return { ok: true, envelope: { kind: 'response', id: value.id, ok: false, error: value.error } };
    return refused('a malformed response', value.id);
  }
  return refused(`an unknown envelope kind ${JSON.stringify(String(value.kind))}`);
}

/**
 * What a webview persists with `setState`, and what VS Code hands back to the panel's serializer after a window
 * reload: the panel's subject (which subnet, which job…) beside the page's own UI state.
 */
export interface PersistedPanelState {
  readonly subject: unknown;
  readonly ui?: unknown;
}

/** The `<meta name=…>` through which the host tells a page its subject (read before any message arrives). */
export const SUBJECT_META_NAME = 'swarmscope-panel-subject';

/** The subject inside a restored webview's state; undefined when the state is not one of ours. */
export function subjectOfState(state: unknown): unknown {
  return isRecord(state) && 'subject' in state ? state.subject : undefined;
}

/** The type of a message, for a refusal that names what it refused (never its content: that may be untrusted). */
export function describeType(value: unknown): string {
  if (isRecord(value) && typeof value.type === 'string') return `type ${JSON.stringify(value.type.slice(0, 40))}`;
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRequestId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

function refused(reason: string, requestId?: number): { ok: false; reason: string; requestId?: number } {
  return requestId === undefined ? { ok: false, reason } : { ok: false, reason, requestId };
}
