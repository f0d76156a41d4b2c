import * as vscode from 'vscode';
import type { EngineClientState, EngineRole } from '../engine/engineClient';
import type { EngineOwnerInfo, EngineStatus } from '../protocol/engineProtocol';
import { COMMANDS } from '../commands/commandIds';
import { untrustedText } from '../core/util/untrustedText';
import { relayState, sourceCounts } from './sourceState';

/**
 * One status-bar item for the engine's health: a glance tells whether collection is running and whether anything is
 * connected (never "healthy" with nothing connected), and the tooltip says what is wrong (an engine that could not
 * start, a crashed worker, no relay reachable and why, dropped events, a bad setting) and which window (or CLI
 * process) runs the one engine this profile's windows share. Clicking shows the health view.
 */
export class EngineStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('swarmscope.engine', vscode.StatusBarAlignment.Left, 10);
  private clientState: EngineClientState = 'starting';
  private detail: string | undefined;
  private status: EngineStatus | undefined;
  private ownership: { role: EngineRole; owner: EngineOwnerInfo | undefined } | undefined;
  private startFailure: string | undefined;

  constructor() {
    this.item.name = 'Swarmscope Engine';
    this.item.command = COMMANDS.showStatus;
    this.render();
    this.item.show();
  }

  setClientState(state: EngineClientState, detail?: string): void {
    this.clientState = state;
    this.detail = detail;
    this.render();
  }

  /** Whether this window runs the engine or uses the one in another window or process (`owner`). */
  setOwnership(role: EngineRole | undefined, owner: EngineOwnerInfo | undefined): void {
    this.ownership = role ? { role, owner } : undefined;
    this.render();
  }

  setStatus(status: EngineStatus): void {
    this.status = status;
    this.render();
  }

  get text(): string {
    return this.item.text;
  }

  get tooltip(): string {
    const tooltip = this.item.tooltip;
    return typeof tooltip === 'string' ? tooltip : tooltip?.value ?? '';
  }

  /** The engine could not start (or started again: undefined); the message names the cause, e.g. the database file. */
  setStartFailure(message: string | undefined): void {
    this.startFailure = message;
    this.render();
  }

  private render(): void {
    const status = this.status;
    const lines: string[] = [];
    let icon = '$(pulse)';
    let text = 'Swarmscope';
    let background: vscode.ThemeColor | undefined;
    if (this.startFailure !== undefined) {
      icon = '$(error)';
      text = 'Swarmscope: not started';
      background = new vscode.ThemeColor('statusBarItem.errorBackground');
      lines.push(`Swarmscope engine: not started — ${untrustedText(this.startFailure, 1_000, 'middle')}`);
    } else if (this.clientState === 'starting') {
      icon = '$(loading~spin)';
      lines.push(`Swarmscope engine: starting${this.detail ? ` (${this.detail})` : ''}`);
    } else if (this.clientState === 'crashed') {
      icon = '$(error)';
      background = new vscode.ThemeColor('statusBarItem.errorBackground');
      lines.push(`Swarmscope engine: stopped unexpectedly (${untrustedText(this.detail) || 'restarting'})`);
    } else if (this.clientState === 'stopped') {
      icon = '$(circle-slash)';
      lines.push('Swarmscope engine: stopped');
    } else {
      lines.push(`Swarmscope engine: running${this.whereItRuns()}`);
    }
    if (status && this.startFailure === undefined) {
      const { connected, total } = sourceCounts(status);
      const relays = relayState(status, this.clientState, undefined);
      if (total > 0) lines.push(connected === 0 ? `No source connected (0 of ${total})` : `Sources connected: ${connected} of ${total}`);
      // A relay's words: sanitised, and on a line of its own.
      if (relays.kind === 'unreachable') lines.push(`No relay reachable: ${untrustedText(relays.relay)}: ${untrustedText(relays.error)}`);
      const down = status.collectors.filter((collector) => collector.state === 'error' || collector.state === 'retrying' || collector.state === 'degraded');
      // Error texts are a relay's or node's words; each stays on its own line of the tooltip, as text.
      for (const collector of down) lines.push(`⚠ ${untrustedText(collector.name)}: ${untrustedText(collector.reason ?? collector.lastError) || collector.state}`);
      const dropped = Object.entries(status.dropped);
      if (dropped.length > 0) lines.push(`Dropped: ${dropped.map(([reason, count]) => `${reason} ${count}`).join(', ')}`);
      for (const error of status.settingErrors) lines.push(`⚠ ${error.key}: ${untrustedText(error.message)}`);
      if (status.lastFlushError) lines.push(`⚠ Last flush failed: ${untrustedText(status.lastFlushError)}`);
      lines.push(`Database: ${(status.dbBytes / 1024 / 1024).toFixed(1)} MB`);
      if (this.clientState === 'ready' && total > 0 && connected === 0) {
        icon = '$(debug-disconnect)';
        text = 'Swarmscope: nothing connected';
        background = new vscode.ThemeColor('statusBarItem.warningBackground');
      } else if (this.clientState === 'ready' && (down.length > 0 || status.settingErrors.length > 0 || status.lastFlushError)) {
        icon = '$(warning)';
        background = new vscode.ThemeColor('statusBarItem.warningBackground');
      }
    }
    this.item.text = `${icon} ${text}`;
    this.item.tooltip = lines.join('\n');
    // The first two lines: what runs, and what it is connected to.
    this.item.accessibilityInformation = { label: lines.slice(0, 2).join('; ') };
    this.item.backgroundColor = background;
  }

  private whereItRuns(): string {
    if (!this.ownership) return '';
    const { role, owner } = this.ownership;
    if (role === 'owner') return ' · runs in this window';
    return owner ? ` · runs in ${owner.label} (pid ${owner.pid})` : '';
  }

  dispose(): void {
    this.item.dispose();
  }
}
