import { bittensorModule } from './bittensorModule';
import type { EngineModuleFactory } from './engineModule';
import { nostrModule } from './nostrModule';

/** The engine's domains, in the order they start. */
export const ENGINE_MODULES: readonly EngineModuleFactory[] = [bittensorModule, nostrModule];
