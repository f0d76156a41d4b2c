import type * as vscode from 'vscode';
import type { nostrPageProtocol, PageSubject } from '../protocol/nostrPagePanelProtocol';
import { PanelManager } from './panelManager';
import type { PanelHostDeps } from './panelHost';
import { nostrPagePanel, type NostrPagePanel, type NostrPagePanelDeps } from './nostrPagePanel';

/**
 * The DVM / kind / user page panel. There is one: showing a subject while it is open reveals it and navigates it
 * there (a new entry in its Back / Forward history), as a link inside it would.
 */
export class NostrPagePanels implements vscode.Disposable {
  private readonly controllers = new Set<NostrPagePanel>();
  private readonly manager: PanelManager<PageSubject, typeof nostrPageProtocol>;

  constructor(deps: NostrPagePanelDeps, hostDeps: PanelHostDeps) {
    this.manager = new PanelManager(nostrPagePanel(deps, this.controllers), hostDeps);
  }

  show(subject: PageSubject): void {
    const open = [...this.controllers];
    this.manager.show(subject);
    for (const controller of open) controller.navigate(subject);
  }

  dispose(): void {
    this.manager.dispose();
  }
}
