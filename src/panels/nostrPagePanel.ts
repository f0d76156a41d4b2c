import { describeError } from '../core/util/errors';
import { isPageSubject, nostrPageProtocol, sameSubject, type FromPage, type PageData, type PageSubject, type ToPage } from '../protocol/nostrPagePanelProtocol';
import type { EngineRequester } from '../views/engineRequester';
import type { NotificationOf } from './notificationRouter';
import type { PanelDefinition } from './panelDefinition';
import type { PanelChannel, PanelController } from './panelSession';
import { PageHistory } from './pageHistory';

type PageProtocol = typeof nostrPageProtocol;
type NostrChange = NotificationOf<'nostr.changed'>['payload'];

/** Live updates are throttled: an open page re-reads at most this often while the engine reports changes. */
const UPDATE_EVERY_MS = 1_500;

/** What the page panel asks of VS Code (nostrPageActions.ts provides it; this file stays vscode-free). */
export interface NostrPageActions {
  openTrace(requestId: string): void;
  /** Pins the DVM; resolves to what to tell the user. */
  watch(pubkey: string): Promise<string>;
}

export interface NostrPagePanelDeps {
  readonly engine: EngineRequester;
  readonly actions: NostrPageActions;
}

/** There is one page panel (its key is constant); `show` on an open one navigates it (see nostrPagePanels.ts). */
export const PAGE_PANEL_KEY = 'pages';

export function nostrPagePanel(deps: NostrPagePanelDeps, controllers: Set<NostrPagePanel>): PanelDefinition<PageSubject, PageProtocol> {
  return {
    viewType: 'swarmscope.nostrPage',
    bundle: 'pages',
    styles: ['media/pages.css'],
    protocol: nostrPageProtocol,
    title: () => 'DVM Pages',
    key: () => PAGE_PANEL_KEY,
    parseSubject: (value) => (isPageSubject(value) ? value : undefined),
    create: (channel, subject) => {
      const controller = new NostrPagePanel(channel, deps, subject, () => controllers.delete(controller));
      controllers.add(controller);
      return controller;
    },
  };
}

/** Whether an ingest batch touched what this page shows. A user page cannot tell whose jobs changed: any job does. */
export function pageConcerns(subject: PageSubject, change: NostrChange): boolean {
  switch (subject.type) {
    case 'dvm':
      return change.dvms.includes(subject.id);
    case 'kind': {
      const kind = Number(subject.id);
      const request = kind >= 6000 && kind < 7000 ? kind - 1000 : kind;
      return change.kinds.includes(request) || change.kinds.includes(request + 1000);
    }
    case 'user':
      return change.jobs.length > 0;
  }
}

/**
 * The DVM, kind and user pages (issue 12) in one panel with a history: a link in a page navigates this panel, Back
 * and Forward move through what it showed. The page on show is the panel's state (replayed to a page that loads
 * again); while visible, engine changes that touch it bring a fresh read, at most every 1.5 s.
 */
export class NostrPagePanel implements PanelController<PageProtocol> {
  readonly requests = {};
  private readonly history: PageHistory<PageSubject>;
  /** Bumped by every read, so that a slower read of a page left behind never overwrites the newer one. */
  private reads = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(
    private readonly channel: PanelChannel<PageProtocol>,
    private readonly deps: NostrPagePanelDeps,
    subject: PageSubject,
    private readonly onDispose: () => void = () => undefined,
  ) {
    this.history = new PageHistory(subject, sameSubject);
    channel.follow(['nostr.changed'], {
      changed: (notification) => {
        if (pageConcerns(this.history.current, notification.payload)) this.scheduleRead();
      },
      missed: () => void this.read(),
    });
  }

  get subject(): PageSubject {
    return this.history.current;
  }

  ready(replayed: boolean): void {
    // A replayed page may be old (the panel was hidden): read it again either way, without a loading flash.
    void this.read(!replayed);
  }

  received(message: FromPage): void {
    switch (message.type) {
      case 'open':
        this.navigate(message.subject);
        return;
      case 'back':
        if (this.history.back()) void this.read(true);
        return;
      case 'forward':
        if (this.history.forward()) void this.read(true);
        return;
      case 'refresh':
        void this.read();
        return;
      case 'openTrace':
        this.deps.actions.openTrace(message.requestId);
        return;
      case 'watch':
        void this.watch(message.pubkey);
        return;
    }
  }

  navigate(subject: PageSubject): void {
    if (this.history.visit(subject)) void this.read(true);
  }

  dispose(): void {
    this.disposed = true;
    this.reads++;
    if (this.timer) clearTimeout(this.timer);
    this.onDispose();
  }

  private scheduleRead(): void {
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.read();
    }, UPDATE_EVERY_MS);
  }

  private place() {
    return { subject: this.history.current, canBack: this.history.canBack, canForward: this.history.canForward };
  }

  private async read(showLoading = false): Promise<void> {
    const read = ++this.reads;
    const place = this.place();
    if (showLoading) this.channel.setState({ type: 'loading', ...place });
    let message: ToPage;
    try {
      message = { type: 'page', ...place, data: await this.fetch(place.subject), readAt: Date.now() };
    } catch (error) {
      message = { type: 'error', ...place, message: describeError(error) };
    }
    if (read === this.reads && !this.disposed) this.channel.setState(message);
  }

  private async fetch(subject: PageSubject): Promise<PageData> {
    const engine = this.deps.engine;
    switch (subject.type) {
      case 'dvm':
        return { type: 'dvm', page: await engine.request('nostr.dvmPage', { pubkey: subject.id }) };
      case 'kind':
        return { type: 'kind', page: await engine.request('nostr.kindPage', { kind: Number(subject.id) }) };
      case 'user':
        return { type: 'user', page: await engine.request('nostr.userPage', { pubkey: subject.id }) };
    }
  }

  private async watch(pubkey: string): Promise<void> {
    try {
      this.channel.post({ type: 'notice', message: await this.deps.actions.watch(pubkey) });
    } catch (error) {
      this.channel.post({ type: 'notice', message: `Could not watch it: ${describeError(error)}` });
    }
  }
}
