/** Levels of the engine's log, lowest first; `engine.log` notifications carry them. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
