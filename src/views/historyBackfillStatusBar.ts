import * as vscode from 'vscode';
import { COMMANDS } from '../commands/commandIds';
import { untrustedText } from '../core/util/untrustedText';
import type { HistoryBackfillStatus } from '../protocol/historyBackfillProtocol';

/**
 * The history backfill's progress (issue 12) in a status-bar item of its own, shown only while there is something
 * to say: running (with its percentage; a click cancels it) or stopped at the size budget (a click opens the
 * setting). Done, cancelled by the user, off: hidden. The tooltip lists each relay, and a relay's error in its own
 * words as text.
 */
export class HistoryBackfillStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('swarmscope.historyBackfill', vscode.StatusBarAlignment.Left, 9);
  private last: HistoryBackfillStatus | undefined;

  constructor() {
    this.item.name = 'Swarmscope History Backfill';
  }

  get status(): HistoryBackfillStatus | undefined {
    return this.last;
  }

  get text(): string {
    return this.item.text;
  }

  update(status: HistoryBackfillStatus): void {
    this.last = status;
    const percent = `${Math.floor(status.fraction * 100)}%`;
    const relays = status.relays.map((relay) => {
      const error = relay.lastError ? ` — ${untrustedText(relay.lastError, 300, 'middle')}` : '';
      return `${untrustedText(relay.relay)}: ${relay.state}, ${Math.floor(relay.fraction * 100)}%, ${relay.accepted} new events${error}`;
    });
    if (status.state === 'running') {
      this.item.text = `$(history) History ${percent}`;
      this.item.tooltip = [status.message, ...relays, 'Click to cancel; "Swarmscope: Backfill History" goes on from where it stopped.'].join('\n');
      this.item.command = COMMANDS.cancelHistoryBackfill;
      this.item.backgroundColor = undefined;
      this.item.show();
    } else if (status.state === 'budget') {
      this.item.text = `$(warning) History stopped at ${percent}: size budget`;
      this.item.tooltip = [status.message, ...relays, 'Click to open the size budget setting.'].join('\n');
      this.item.command = { title: 'Open Settings', command: 'workbench.action.openSettings', arguments: ['swarmscope.storage.sizeBudgetMB'] };
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      this.item.show();
    } else {
      this.item.hide();
    }
    this.item.accessibilityInformation = { label: status.message };
  }

  dispose(): void {
    this.item.dispose();
  }
}
