import * as vscode from 'vscode';
import type { AnyPanelProtocol } from '../protocol/webviewPanelProtocol';
import type { NotificationRouter } from './notificationRouter';
import type { PanelDefinition } from './panelDefinition';
import { PanelSession, type PanelLog } from './panelSession';
import { webviewHtml, webviewOptions } from './webviewHtml';

export interface PanelHostDeps {
  readonly extensionUri: vscode.Uri;
  readonly router: NotificationRouter;
  readonly log: PanelLog;
}

/**
 * One open webview panel: owns the vscode.WebviewPanel for its lifetime and feeds its PanelSession (the
 * vscode-free protocol logic) with the page's messages and the panel's visibility. Created for a new panel and for
 * one VS Code restores after a window reload alike.
 */
export class PanelHost<Subject, P extends AnyPanelProtocol> implements vscode.Disposable {
  private readonly session: PanelSession<P>;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  private isDisposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly definition: PanelDefinition<Subject, P>,
    private current: Subject,
    deps: PanelHostDeps,
  ) {
    const subject = current;
    const { extensionUri } = deps;
    const title = definition.title(subject);
    panel.title = title;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    panel.webview.options = webviewOptions(extensionUri);
    this.session = new PanelSession({
      name: `${definition.viewType} ${definition.key(subject)}`,
      protocol: definition.protocol,
      port: panel.webview,
      router: deps.router,
      log: deps.log,
      visible: panel.visible,
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.session.receive(message)),
      panel.onDidChangeViewState(() => this.session.setVisible(panel.visible)),
      panel.onDidDispose(() => this.dispose()),
    );
    this.session.attach(definition.create(this.session, subject));
    // Last: the page may say ready as soon as it has its HTML.
    panel.webview.html = webviewHtml({ webview: panel.webview, extensionUri, bundle: definition.bundle, title, subject, styles: definition.styles });
  }

  get subject(): Subject {
    return this.current;
  }

  /**
   * The panel shows another subject from now on (a panel opened before its subject was known, see PanelManager.rekey).
   * The page keeps the subject its HTML named until it persists the new one itself.
   */
  retarget(subject: Subject): void {
    this.current = subject;
    this.panel.title = this.definition.title(subject);
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.session.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.panel.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }
}
