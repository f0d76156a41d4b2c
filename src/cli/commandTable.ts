import type { CliCommand } from './cliCommand';
import { coreCommands } from './coreCommands';

/** Every `swarmscope` command; each domain adds its own list. */
export const COMMANDS: readonly CliCommand[] = [...coreCommands];
