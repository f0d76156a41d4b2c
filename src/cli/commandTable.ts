import { bittensorCommands } from './bittensorCommands';
import type { CliCommand } from './cliCommand';
import { collectCommand } from './collectCommand';
import { coreCommands } from './coreCommands';
import { ingestCommand } from './ingestCommand';
import { nostrCommands } from './nostrCommands';

/** Every `swarmscope` command; each domain adds its own list. */
export const COMMANDS: readonly CliCommand[] = [...coreCommands, ingestCommand, ...nostrCommands, collectCommand, ...bittensorCommands];
