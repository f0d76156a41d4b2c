import * as vscode from 'vscode';

/** How often rows that show a relative time are drawn again while their view is visible. */
export const AGEING_MS = 30_000;

/**
 * Turns a stream of "these elements changed" into debounced `onDidChangeTreeData` events: per element when the
 * change is targeted, whole-tree when not. While the view is hidden nothing fires; it is marked dirty and
 * refreshed once when shown, so collectors keep running but the UI only follows what is visible.
 */
export class TreeRefresher<T> implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<T | T[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly pending = new Set<T>();
  private whole = false;
  private timer: NodeJS.Timeout | undefined;
  private visible = true;
  private dirtyWhileHidden = false;
  /** Rows drawn with a relative time since the last ageing pass. */
  private readonly ageing = new Set<T>();
  private ageingTimer: NodeJS.Timeout | undefined;

  constructor(private readonly delayMs = 250, private readonly ageingMs = AGEING_MS) {}

  /**
   * Called by getTreeItem for a row whose text ages ("2 min ago"): it is drawn again after `ageingMs`. Only rows
   * drawn since the last pass are redrawn, so the timer costs nothing once no such row is on screen; a hidden view
   * is only marked dirty and redrawn whole when shown.
   */
  ages(element: T): void {
    this.ageing.add(element);
    this.ageingTimer ??= setTimeout(() => {
      this.ageingTimer = undefined;
      const rows = [...this.ageing];
      this.ageing.clear();
      for (const row of rows) this.refresh(row);
    }, this.ageingMs);
  }

  /** Attach once the TreeView exists, so that visibility is followed. */
  follow(view: vscode.TreeView<T>): vscode.Disposable {
    this.visible = view.visible;
    return view.onDidChangeVisibility(({ visible }) => {
      this.visible = visible;
      if (visible && this.dirtyWhileHidden) {
        this.dirtyWhileHidden = false;
        this.whole = true;
        this.schedule();
      }
    });
  }

  refresh(element?: T): void {
    if (element === undefined) this.whole = true;
    else this.pending.add(element);
    if (!this.visible) {
      this.dirtyWhileHidden = true;
      return;
    }
    this.schedule();
  }

  /**
   * Fires what is pending now instead of after the delay. VS Code chains TreeView.reveal after every refresh it has
   * been told of, so a reveal that follows a flush sees the new rows; a refresh that lands after the reveal redraws
   * the tree and loses the selection. A view hidden meanwhile is refreshed whole, as it would be when shown.
   */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.dirtyWhileHidden) {
      this.dirtyWhileHidden = false;
      this.whole = true;
    }
    this.fire();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, this.delayMs);
  }

  private fire(): void {
    if (this.whole) this.emitter.fire(undefined);
    else if (this.pending.size > 0) this.emitter.fire([...this.pending]);
    this.whole = false;
    this.pending.clear();
  }

  dispose(): void {
    clearTimeout(this.timer);
    clearTimeout(this.ageingTimer);
    this.emitter.dispose();
  }
}

/** More changed rows than this in one notification and the root is re-read instead of each row. */
const TARGETED_LIMIT = 20;

/**
 * The live-update rule shared by the DVM and Kinds trees: rows already shown are re-read and refreshed one by one;
 * anything new (or a flood of changes) refreshes the root instead, because a new row changes the order.
 */
export async function refreshChangedRows<K, N extends T, T>(
  keys: readonly K[],
  rows: ReadonlyMap<K, N>,
  refresher: TreeRefresher<T>,
  reread: (key: K, row: N) => Promise<void>,
  onError: (error: unknown) => void,
): Promise<void> {
  if (keys.length === 0) return;
  if (keys.length > TARGETED_LIMIT || keys.some((key) => !rows.has(key))) {
    refresher.refresh();
    return;
  }
  await Promise.all(keys.map(async (key) => {
    const row = rows.get(key)!;
    try {
      await reread(key, row);
    } catch (error) {
      onError(error);
    }
    refresher.refresh(row);
  }));
}
