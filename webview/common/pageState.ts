import { isRecord, type PersistedPanelState } from '../../src/protocol/webviewPanelProtocol';

/** Where VS Code keeps a page's state across reloads of its webview (acquireVsCodeApi's getState / setState). */
export interface StateStore {
  getState(): unknown;
  setState(state: unknown): void;
}

/**
 * A page's persisted state: its subject (from the host, for the serializer: which subnet, which job) beside the
 * page's own UI choices (scope, column width…). The subject is written at once, so that a panel the user never
 * touched still comes back after a window reload. UI state read back is merged over the defaults, so a field added
 * later (or one from an older version) never leaves a gap; pages still check the values they read.
 */
export class PageState<Ui extends object> {
  private current: Ui;

  constructor(
    private readonly store: StateStore,
    private named: unknown,
    defaults: Ui,
  ) {
    const saved = store.getState();
    const ui = isRecord(saved) && isRecord(saved.ui) ? saved.ui : {};
    this.current = { ...defaults, ...ui } as Ui;
    this.save();
  }

  get subject(): unknown {
    return this.named;
  }

  /** The host moved the panel to another subject (a trace panel opened before its job was known): persist that one. */
  setSubject(subject: unknown): void {
    this.named = subject;
    this.save();
  }

  get ui(): Readonly<Ui> {
    return this.current;
  }

  update(change: Partial<Ui>): void {
    this.current = { ...this.current, ...change };
    this.save();
  }

  private save(): void {
    const state: PersistedPanelState = { subject: this.named, ui: this.current };
    this.store.setState(state);
  }
}
