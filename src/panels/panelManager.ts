import * as vscode from 'vscode';
import { describeError } from '../core/util/errors';
import { subjectOfState, type AnyPanelProtocol } from '../protocol/webviewPanelProtocol';
import type { PanelDefinition } from './panelDefinition';
import { PanelHost, type PanelHostDeps } from './panelHost';
import { webviewOptions } from './webviewHtml';

/**
 * The open panels of one kind: at most one per subject key (showing it again reveals it), and the
 * WebviewPanelSerializer that brings them back after a window reload (models: gitlens webviewsController,
 * vscode-pull-request-github overviewRestorer). It must be built during activation, so that VS Code finds the
 * serializer when it activates the extension with `onWebviewPanel:<viewType>`.
 */
export class PanelManager<Subject, P extends AnyPanelProtocol> implements vscode.Disposable {
  private readonly open = new Map<string, PanelHost<Subject, P>>();
  private readonly serializer: vscode.Disposable;

  constructor(
    private readonly definition: PanelDefinition<Subject, P>,
    private readonly deps: PanelHostDeps,
  ) {
    this.serializer = vscode.window.registerWebviewPanelSerializer(definition.viewType, {
      deserializeWebviewPanel: async (panel, state: unknown) => this.restore(panel, state),
    });
  }

  /** Reveals the panel of this subject, or opens one. */
  show(subject: Subject): PanelHost<Subject, P> {
    const existing = this.open.get(this.definition.key(subject));
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(this.definition.viewType, this.definition.title(subject), vscode.ViewColumn.Active, webviewOptions(this.deps.extensionUri));
    return this.adopt(panel, subject);
  }

  /**
   * The open panel `host` shows `subject` from now on, and is found by its key: for a panel opened before its subject
   * was known (the trace panel opens while the engine finds the job of the asked event). False, and nothing changed,
   * when another panel already has that key.
   */
  rekey(host: PanelHost<Subject, P>, subject: Subject): boolean {
    const key = this.definition.key(subject);
    const holder = this.open.get(key);
    if (holder && holder !== host) return false;
    const before = this.definition.key(host.subject);
    if (this.open.get(before) === host) this.open.delete(before);
    host.retarget(subject);
    this.open.set(key, host);
    return true;
  }

  /** The open panel of this subject, if any. */
  get(subject: Subject): PanelHost<Subject, P> | undefined {
    return this.open.get(this.definition.key(subject));
  }

  dispose(): void {
    this.serializer.dispose();
    for (const host of [...this.open.values()]) host.dispose();
    this.open.clear();
  }

  /**
   * A panel VS Code kept across a window reload. Its subject comes back from the state its page persisted; a panel
   * whose subject is unreadable, or that duplicates one already open, is closed rather than left blank.
   */
  private restore(panel: vscode.WebviewPanel, state: unknown): void {
    const subject = this.definition.parseSubject(subjectOfState(state));
    if (subject === undefined || this.open.has(this.definition.key(subject))) {
      this.deps.log.warn(`${this.definition.viewType}: closed a restored panel with ${subject === undefined ? 'no readable subject' : 'a subject already open'}`);
      panel.dispose();
      return;
    }
    try {
      this.adopt(panel, subject);
    } catch (error) {
      this.deps.log.warn(`${this.definition.viewType}: could not restore a panel: ${describeError(error)}`);
      panel.dispose();
    }
  }

  private adopt(panel: vscode.WebviewPanel, subject: Subject): PanelHost<Subject, P> {
    const key = this.definition.key(subject);
    const host = new PanelHost(panel, this.definition, subject, this.deps);
    this.open.set(key, host);
    host.onDidDispose(() => {
      // Its key now: rekey may have changed it.
      const current = this.definition.key(host.subject);
      if (this.open.get(current) === host) this.open.delete(current);
    });
    return host;
  }
}
