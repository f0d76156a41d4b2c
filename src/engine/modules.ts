import type { EngineModuleFactory } from './engineModule';

/** The engine's domains, in the order their migrations run. */
export const ENGINE_MODULES: readonly EngineModuleFactory[] = [];
