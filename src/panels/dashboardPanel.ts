import * as vscode from 'vscode';
import { describeError } from '../core/util/errors';
import { isFromDashboard, type ToDashboard } from '../protocol/dashboardProtocol';
import type { EngineRequester } from '../views/engineRequester';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** Live updates are throttled: the dashboard re-reads metrics at most this often while visible. */
const UPDATE_EVERY_MS = 2_000;

/**
 * The DVM dashboard: DVMDash's metric cards (all-time and 1 h / 24 h / 7 d / 30 d) and requests per kind. One
 * panel at a time; it sends a snapshot when the webview is ready and fresh ones while visible. Hidden, it does
 * nothing (the engine keeps collecting); shown again, the webview reloads and asks for a snapshot.
 */
export class DashboardPanel implements vscode.Disposable {
  static readonly viewType = 'swarmscope.dashboard';
  private static current: DashboardPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stale = false;

  static show(extensionUri: vscode.Uri, engine: EngineRequester, onKind: (kind: number) => void): DashboardPanel {
    if (DashboardPanel.current) {
      DashboardPanel.current.panel.reveal();
      return DashboardPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(DashboardPanel.viewType, 'DVM Dashboard', vscode.ViewColumn.Active, webviewOptions(extensionUri));
    DashboardPanel.current = new DashboardPanel(panel, extensionUri, engine, onKind);
    return DashboardPanel.current;
  }

  /** Called on every `nostr.changed`; coalesced into one update per interval. */
  static changed(): void {
    DashboardPanel.current?.scheduleUpdate();
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly engine: EngineRequester,
    private readonly onKind: (kind: number) => void,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    panel.webview.html = webviewHtml({ webview: panel.webview, extensionUri, bundle: 'dashboard', title: 'DVM Dashboard' });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidChangeViewState(() => {
        if (panel.visible && this.stale) this.scheduleUpdate();
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private receive(message: unknown): void {
    if (!isFromDashboard(message)) return;
    if (message.type === 'ready' || message.type === 'refresh') void this.sendSnapshot();
    else this.onKind(message.kind);
  }

  private scheduleUpdate(): void {
    if (!this.panel.visible) {
      this.stale = true;
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.sendSnapshot();
    }, UPDATE_EVERY_MS);
  }

  private async sendSnapshot(): Promise<void> {
    this.stale = false;
    let message: ToDashboard;
    try {
      const [metrics, kinds] = await Promise.all([this.engine.request('nostr.metrics', {}), this.engine.request('nostr.kinds', {})]);
      message = { type: 'snapshot', metrics, kinds };
    } catch (error) {
      message = { type: 'error', message: describeError(error) };
    }
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    DashboardPanel.current = undefined;
    clearTimeout(this.timer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.panel.dispose();
  }
}
