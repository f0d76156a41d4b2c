import type { SettingError } from './core/config/settings';
import type { EngineClientState } from './engine/engineClient';
import type { EngineMethod, EngineStatus, ParamsOf, ResultOf } from './protocol/engineProtocol';

/**
 * What `activate` returns: a small API for other extensions and for our in-VS Code tests, so that tests observe the
 * real extension instead of reaching into its modules.
 */
export interface SwarmscopeApi {
  /** Time spent inside `activate`, in ms. */
  readonly activationMs: number;
  /** Resolves once the engine worker answered `engine.start` (again after a restart). */
  whenEngineReady(): Promise<EngineStatus>;
  request<M extends EngineMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  engineState(): EngineClientState;
  /** The status-bar item's text and tooltip as the user sees them. */
  statusBar(): { text: string; tooltip: string };
  /** Setting problems found at the last (re)configuration, each naming its `swarmscope.*` key. */
  settingErrors(): readonly SettingError[];
  /** How many times the worker was restarted after a crash. */
  engineRestarts(): number;
}
