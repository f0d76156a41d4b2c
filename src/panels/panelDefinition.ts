import type { AnyPanelProtocol } from '../protocol/webviewPanelProtocol';
import type { PanelChannel, PanelController } from './panelSession';

/**
 * Everything the panel host needs to know about one kind of panel. A panel kind is this object plus its logic (a
 * PanelController) and its page (webview/<bundle>/main.ts); the host does the rest: one panel per subject key,
 * HTML and CSP, the handshake, guards, visibility, and coming back after a window reload.
 */
export interface PanelDefinition<Subject, P extends AnyPanelProtocol> {
  /** The webview panel type; package.json lists `onWebviewPanel:<viewType>` so a reload can restore it. */
  readonly viewType: string;
  /** webview/<bundle>/main.ts, built to dist/webview/<bundle>.js. */
  readonly bundle: string;
  /** Extra stylesheets, paths under the extension root (within dist/webview or media). */
  readonly styles?: readonly string[];
  readonly protocol: P;
  title(subject: Subject): string;
  /** At most one panel is open per key; showing the same key again reveals it. */
  key(subject: Subject): string;
  /** The subject a restored page persisted (JSON), checked: undefined when it is not a valid one, and the panel is closed. */
  parseSubject(value: unknown): Subject | undefined;
  create(channel: PanelChannel<P>, subject: Subject): PanelController<P>;
}
