import { bittensorCommands } from './bittensorCommands';
import { cancelCommand } from './cancelCommand';
import type { CliCommand } from './cliCommand';
import { collectCommand } from './collectCommand';
import { coreCommands } from './coreCommands';
import { ingestCommand } from './ingestCommand';
import { nostrCommands } from './nostrCommands';
import { pageCommands } from './pageCommands';
import { postCommand } from './postCommand';

/** Every `swarmscope` command; each domain adds its own list. */
export const COMMANDS: readonly CliCommand[] = [...coreCommands, ingestCommand, ...nostrCommands, ...pageCommands, postCommand, cancelCommand, collectCommand, ...bittensorCommands];
