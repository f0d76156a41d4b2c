import { SUBJECT_META_NAME, type AnyPanelProtocol } from '../../src/protocol/webviewPanelProtocol';
import { Messenger, type HostPort } from './messenger';
import { PageState, type StateStore } from './pageState';

/** The webview's only handle on VS Code (gitlens apps/shared/host/context.ts keeps it behind an interface too). */
export interface VsCodeApi extends StateStore {
  postMessage(message: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

/** `acquireVsCodeApi` may be called once per page: this is the one place that calls it. */
export function vsCodeApi(): VsCodeApi {
  return (api ??= acquireVsCodeApi());
}

/** Messages both ways through the page's window. */
export function windowPort(vscode: VsCodeApi): HostPort {
  return {
    postMessage: (message) => vscode.postMessage(message),
    subscribe: (listener) => {
      const onMessage = (event: MessageEvent<unknown>) => listener(event.data);
      window.addEventListener('message', onMessage);
      return () => window.removeEventListener('message', onMessage);
    },
  };
}

/** The subject the host wrote into this page's meta tag (webviewHtml.ts); null when there is none. */
export function pageSubject(): unknown {
  const content = document.querySelector(`meta[name="${SUBJECT_META_NAME}"]`)?.getAttribute('content');
  if (!content) return null;
  try {
    return JSON.parse(content) as unknown;
  } catch {
    return null;
  }
}

/**
 * Everything a panel page starts with: a messenger speaking its protocol, and its persisted state (subject + UI).
 * The page sets its listeners, then calls `messenger.ready()`.
 */
export function connectPanel<P extends AnyPanelProtocol, Ui extends object>(protocol: P, defaults: Ui): { messenger: Messenger<P>; state: PageState<Ui> } {
  const vscode = vsCodeApi();
  return { messenger: new Messenger(protocol, windowPort(vscode)), state: new PageState(vscode, pageSubject(), defaults) };
}
