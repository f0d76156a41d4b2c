import * as vscode from 'vscode';
import { untrustedText } from '../core/util/untrustedText';
import type { BittensorMethods } from '../protocol/bittensorProtocol';
import type { PostedJobSummary } from '../protocol/jobProtocol';
import type { EngineRequester } from './engineRequester';
import { ago, alpha, COUNT_MEANINGS, dateTime, jobCounts, nameOrKey, percent, tooltipTable } from './format';
import { MY_JOBS, MY_JOBS_SHOWN, myJobItem, myJobsItem, type MyJobsNode } from './myJobsItems';
import { TreeRefresher } from './treeRefresher';

type HotkeyPlace = BittensorMethods['bittensor.hotkeys']['result'][number];

export interface WatchedNode {
  readonly domain: 'dvm' | 'hotkey';
  readonly key: string;
  readonly label?: string;
}

type Node = WatchedNode | MyJobsNode;
/** The coalescer cuts a notification's id lists at this length (changeCoalescer.ts): a full list may omit ours. */
const CUT_LIST_LENGTH = 1_000;

/**
 * What the user pinned: their own DVMs and hotkeys, with the one figure that tells whether all is well; and
 * "My jobs", the jobs they posted (playground, CLI) with each one's status.
 */
export class WatchedTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  readonly refresher = new TreeRefresher<Node>(300);
  readonly onDidChangeTreeData = this.refresher.onDidChangeTreeData;
  private pins: WatchedNode[] = [];
  /** Where every watched hotkey is, read once per refresh for all rows (not once per row). */
  private places: Promise<HotkeyPlace[]> | undefined;
  /** The latest alert heard for each watched hotkey in this window. */
  private readonly hotkeyAlerts = new Map<string, string>();
  /**
   * Your jobs, read once per change of them (posted, answered, paid): the root (is there a section?), the section's
   * row and its rows share one read, and a refresh for the hotkeys' sake reads none.
   */
  private myJobsRead: Promise<readonly PostedJobSummary[]> | undefined;
  /** The jobs the section showed last (what a failed read falls back on, and what jobsChanged looks in). */
  private myJobs: readonly PostedJobSummary[] = [];

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

  /** These DVMs changed (events, or their liveness turned with time): their rows read their status again. */
  dvmsChanged(pubkeys: readonly string[]): void {
    const changed = new Set(pubkeys.map((pubkey) => pubkey.toLowerCase()));
    for (const pin of this.pins) if (pin.domain === 'dvm' && changed.has(pin.key.toLowerCase())) this.refresher.refresh(pin);
  }

  /** You posted a job (here, in another window or the CLI): the section lists it (and shows, when it was the first). */
  postedChanged(): void {
    this.myJobsRead = undefined;
    this.refresher.refresh();
  }

  /** These jobs changed (answers, payments, a cancellation): the section reads your jobs again if one is among them. */
  jobsChanged(ids: readonly string[]): void {
    if (ids.length >= CUT_LIST_LENGTH || this.myJobs.some((job) => ids.includes(job.requestId))) {
      this.myJobsRead = undefined;
      this.refresher.refresh(MY_JOBS);
    }
  }

  /** A watched hotkey's alert: its row carries the mark until the watch is reloaded or the engine restarted. */
  hotkeyAlert(hotkey: string, message: string): void {
    this.hotkeyAlerts.set(hotkey, message);
    const pin = this.pins.find((candidate) => candidate.domain === 'hotkey' && candidate.key === hotkey);
    if (pin) this.refresher.refresh(pin);
  }

  private hotkeyPlaces(): Promise<HotkeyPlace[]> {
    const hotkeys = this.pins.filter((pin) => pin.domain === 'hotkey').map((pin) => pin.key);
    this.places ??= this.engine.request('bittensor.hotkeys', { hotkeys }).catch((error: unknown) => {
      this.places = undefined; // asked again on the next render, not stuck on one failure
      throw error;
    });
    return this.places;
  }

  private postedJobs(): Promise<readonly PostedJobSummary[]> {
    this.myJobsRead ??= this.engine.request('nostr.postedJobs', { limit: MY_JOBS_SHOWN }).then((jobs) => {
      this.myJobs = jobs;
      return jobs;
    }, (error: unknown) => {
      this.myJobsRead = undefined; // asked again on the next render, not stuck on one failure
      this.onError(error);
      return this.myJobs;
    });
    return this.myJobsRead;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node && node.domain !== 'myJobs') return [];
    const jobs = await this.postedJobs();
    if (node) return jobs.map((job) => ({ domain: 'myJob', job }));
    return jobs.length > 0 ? [...this.pins, MY_JOBS] : this.pins;
  }

  async getTreeItem(node: Node): Promise<vscode.TreeItem> {
    if (node.domain === 'myJobs') return myJobsItem((await this.postedJobs()).length);
    if (node.domain === 'myJob') {
      this.refresher.ages(node);
      return myJobItem(node.job);
    }
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
          item.description = `${summary.status} · ${jobCounts(summary.jobs, summary.waiting)} · ${percent(summary.successRate)} success · seen ${ago(summary.lastSeen)}`;
          item.iconPath = summary.status === 'silent' ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')) : new vscode.ThemeIcon('server-process');
          item.tooltip = tooltipTable(String(item.label), [
            ['Pubkey', summary.npub],
            ['Jobs', `${summary.jobs} — ${COUNT_MEANINGS.jobs}`],
            ['Waiting', `${summary.waiting} — ${COUNT_MEANINGS.waiting}`],
            ['Status', summary.status === 'silent' ? 'silent: a job addressed to it is unanswered past the silence threshold' : summary.status],
            ['Last seen', summary.lastSeen ? `${dateTime(summary.lastSeen)} (${ago(summary.lastSeen)})` : 'never'],
          ]);
          this.refresher.ages(node);
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
      const alert = this.hotkeyAlerts.get(node.key);
      if (alert) {
        item.description = `⚠ alert · ${item.description}`;
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        if (item.tooltip instanceof vscode.MarkdownString) item.tooltip.appendMarkdown('\n\n**Alert**: ').appendText(untrustedText(alert, 500));
        else item.tooltip = tooltipTable(node.key, [['Alert', alert]]);
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
