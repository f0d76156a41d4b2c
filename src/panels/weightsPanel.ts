import * as vscode from 'vscode';
import { describeError } from '../core/util/errors';
import { isFromWeights, type ToWeights } from '../protocol/weightsPanelProtocol';
import type { EngineRequester } from '../views/engineRequester';
import { webviewHtml, webviewOptions } from './webviewHtml';

/**
 * The weights matrix of one subnet (heatmap) and its validators' agreement, read from the chain on demand through
 * `bittensor.weights`. One panel per netuid. The read takes seconds, so the webview shows a loading state; the last
 * answer is kept here, because the webview is rebuilt each time the panel is shown again
 * (retainContextWhenHidden off) and must not trigger another chain read then.
 */
export class WeightsPanel implements vscode.Disposable {
  static readonly viewType = 'swarmscope.weights';
  private static readonly open = new Map<number, WeightsPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  /** The answer to show when the webview (re)loads: the newest matrix or error. */
  private lastAnswer: ToWeights | undefined;
  /** Bumped by every read, so that the answer of a superseded read is dropped. */
  private generation = 0;
  private reading = false;

  static show(extensionUri: vscode.Uri, engine: EngineRequester, netuid: number): WeightsPanel {
    const existing = WeightsPanel.open.get(netuid);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const title = `Weights · SN${netuid}`;
    const panel = vscode.window.createWebviewPanel(WeightsPanel.viewType, title, vscode.ViewColumn.Active, webviewOptions(extensionUri));
    const created = new WeightsPanel(panel, extensionUri, engine, netuid, title);
    WeightsPanel.open.set(netuid, created);
    return created;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly engine: EngineRequester,
    readonly netuid: number,
    title: string,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    panel.webview.html = webviewHtml({ webview: panel.webview, extensionUri, bundle: 'weights', title, styles: ['media/weights.css'] });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private receive(message: unknown): void {
    if (!isFromWeights(message)) return;
    if (message.type === 'refresh') {
      void this.read();
      return;
    }
    // ready: the webview is new (first open, or shown again after being hidden).
    if (this.reading) this.post({ type: 'loading', netuid: this.netuid });
    else if (this.lastAnswer) this.post(this.lastAnswer);
    else void this.read();
  }

  private async read(): Promise<void> {
    const generation = ++this.generation;
    this.reading = true;
    this.post({ type: 'loading', netuid: this.netuid });
    let answer: ToWeights;
    try {
      answer = { type: 'matrix', matrix: await this.engine.request('bittensor.weights', { netuid: this.netuid }), readAt: Date.now() };
    } catch (error) {
      answer = { type: 'error', netuid: this.netuid, message: describeError(error) };
    }
    if (generation !== this.generation) return;
    this.reading = false;
    this.lastAnswer = answer;
    this.post(answer);
  }

  private post(message: ToWeights): void {
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (WeightsPanel.open.get(this.netuid) === this) WeightsPanel.open.delete(this.netuid);
    this.generation++;
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.panel.dispose();
  }
}
