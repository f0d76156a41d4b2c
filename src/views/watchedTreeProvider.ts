import * as vscode from 'vscode';
import { untrustedText } from '../core/util/untrustedText';
import type { BittensorMethods } from '../protocol/bittensorProtocol';
import type { EngineRequester } from './engineRequester';
import { ago, alpha, nameOrKey, percent, shortKey, tooltipTable } from './format';
import { TreeRefresher } from './treeRefresher';

type HotkeyPlace = BittensorMethods['bittensor.hotkeys']['result'][number];

export interface WatchedNode {
  readonly domain: 'dvm' | 'hotkey';
  readonly key: string;
  readonly label?: string;
}

/** What the user pinned: their own DVMs and hotkeys, with the one figure that tells whether all is well. */
export class WatchedTreeProvider implements vscode.TreeDataProvider<WatchedNode>, vscode.Disposable {
  readonly refresher = new TreeRefresher<WatchedNode>(300);
  readonly onDidChangeTreeData = this.refresher.onDidChangeTreeData;
  private pins: WatchedNode[] = [];
  /** Where every watched hotkey is, read once per refresh for all rows (not once per row). */
  private places: Promise<HotkeyPlace[]> | undefined;

  constructor(private readonly engine: EngineRequester, private readonly onError: (error: unknown) => void) {}

  /** Re-reads the pins; returns them so other views can mark what is watched. */
  async reload(): Promise<WatchedNode[]> {
    try {
      const pins = await this.engine.request('engine.pins', {});
      this.pins = pins.map((pin) => ({ domain: pin.domain as 'dvm' | 'hotkey', key: pin.key, label: pin.label }));
    } catch (error) {
      this.onError(error);
    }
    this.changed();
    return this.pins;
  }

  /** The stored snapshots changed (or the pins did): read the hotkeys' places again on the next render. */
  changed(): void {
    this.places = undefined;
    this.refresher.refresh();
  }

  private hotkeyPlaces(): Promise<HotkeyPlace[]> {
    const hotkeys = this.pins.filter((pin) => pin.domain === 'hotkey').map((pin) => pin.key);
    this.places ??= this.engine.request('bittensor.hotkeys', { hotkeys }).catch((error: unknown) => {
      this.places = undefined; // asked again on the next render, not stuck on one failure
      throw error;
    });
    return this.places;
  }

  getChildren(node?: WatchedNode): WatchedNode[] {
    return node ? [] : this.pins;
  }

  async getTreeItem(node: WatchedNode): Promise<vscode.TreeItem> {
    // A DVM pin's label is the name the DVM chose when it was pinned: as untrusted as the live one.
    const item = new vscode.TreeItem(nameOrKey(node.label, node.key), vscode.TreeItemCollapsibleState.None);
    item.id = `watched:${node.domain}:${node.key}`;
    if (node.domain === 'dvm') {
      item.contextValue = 'dvm.watched';
      item.iconPath = new vscode.ThemeIcon('server-process');
      try {
        const detail = await this.engine.request('nostr.dvm', { pubkey: node.key });
        if (detail) {
          const { summary } = detail;
          item.label = untrustedText(summary.name) || nameOrKey(node.label, summary.npub);
          item.description = `${summary.status} · ${summary.jobs} jobs · ${percent(summary.successRate)} · seen ${ago(summary.lastSeen)}`;
          item.iconPath = new vscode.ThemeIcon(summary.status === 'silent' ? 'warning' : 'server-process');
          item.tooltip = tooltipTable(String(item.label), [['Pubkey', summary.npub], ['Status', summary.status], ['Last seen', ago(summary.lastSeen)]]);
        } else item.description = 'no events seen yet';
      } catch (error) {
        this.onError(error);
      }
      return item;
    }
    item.contextValue = 'hotkey.watched';
    item.iconPath = new vscode.ThemeIcon('key');
    try {
      // A hotkey can hold UIDs on several subnets; the description names the first, the tooltip all of them.
      const places = (await this.hotkeyPlaces()).filter((place) => place.neuron.hotkey === node.key);
      if (places.length > 0) {
        const [first] = places;
        const more = places.length > 1 ? ` · +${places.length - 1} subnets` : '';
        item.description = `subnet ${first.netuid} · UID ${first.neuron.uid} · inc ${first.neuron.incentive.toFixed(4)} · ${alpha(first.neuron.stake)}${more}`;
        item.tooltip = tooltipTable(node.key, places.flatMap(({ netuid, block, neuron }) => [
          [`Subnet ${netuid}`, `UID ${neuron.uid} (snapshot at block ${block})`],
          ['  Incentive / dividends', `${neuron.incentive.toFixed(4)} / ${neuron.dividends.toFixed(4)}`],
          ['  Stake', alpha(neuron.stake)],
          ['  Last update', `block ${neuron.lastUpdate}`],
        ] as [string, string][]));
      } else {
        item.description = 'not in any stored snapshot';
      }
    } catch (error) {
      this.onError(error);
    }
    return item;
  }

  dispose(): void {
    this.refresher.dispose();
  }
}
