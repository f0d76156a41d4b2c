/**
 * The command line's grammar: each command declares its arguments and options, and the parser reads the words by
 * that declaration only. An option is a switch or takes a value because its declaration says so, never by guessing
 * from the word that follows; a word the command did not declare is an error, not silently ignored.
 */

export interface CliOption {
  /** The name without its dashes: `db` for `--db`. */
  readonly name: string;
  /** The value's placeholder in help (`PATH` in `--db PATH`). Without one the option is a switch and takes no value. */
  readonly value?: string;
  readonly help: string;
  /** The command cannot run without it; the parser says so. */
  readonly required?: boolean;
  /** May be given more than once, each value kept in order (`--relay A --relay B`); otherwise a repeat is an error. */
  readonly repeatable?: boolean;
  /** Words the option takes when it takes more than one (`--param K V`: 2); read them with `flagGroups`. */
  readonly arity?: number;
}

/** A positional argument; every declared one is required. */
export interface CliArgument {
  readonly name: string;
  readonly help: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly arguments?: readonly CliArgument[];
  /** The command's own options; the common ones (`--db`, `--json`, …) are added to every command. */
  readonly options: readonly CliOption[];
}

/** Parsed command line: positionals, and option values (repeatable options keep every value, in order). */
export interface CliArgs {
  readonly positionals: readonly string[];
  readonly flags: ReadonlyMap<string, readonly string[]>;
}

export class UsageError extends Error {}

/** Every command opens the engine on a database and prints text or JSON. */
export const COMMON_OPTIONS: readonly CliOption[] = [
  { name: 'db', value: 'PATH', help: 'the database (default $SWARMSCOPE_DB, else ~/.swarmscope/swarmscope.db; :memory: keeps nothing)' },
  {
    name: 'store', value: 'URL',
    help: "a team's PostgreSQL store instead of the database file: postgres://user@host:port/database (password from $PGPASSWORD or ~/.pgpass, never in the URL)",
  },
  { name: 'json', help: 'print the result as JSON' },
  { name: 'verbose', help: "print the engine's info and debug log on stderr" },
  { name: 'help', help: 'show this help' },
];

export function optionsOf(spec: CommandSpec): readonly CliOption[] {
  return [...spec.options, ...COMMON_OPTIONS];
}

export function parseArgs(argv: readonly string[], spec: CommandSpec): CliArgs {
  const declared = new Map(optionsOf(spec).map((option) => [option.name, option]));
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  let optionsEnded = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (optionsEnded || !word.startsWith('-') || word === '-') {
      positionals.push(word);
      continue;
    }
    if (word === '--') {
      optionsEnded = true;
      continue;
    }
    const [name, inline] = word.replace(/^--?/, '').split(/=(.*)/s, 2);
    const option = declared.get(name);
    if (!option || !word.startsWith('--')) throw new UsageError(`unknown option ${word.split('=')[0]}`);
    let values: string[];
    const arity = option.arity ?? 1;
    if (option.value === undefined) {
      if (inline !== undefined) throw new UsageError(`--${name} is a switch and takes no value`);
      values = ['true'];
    } else if (inline !== undefined) {
      if (arity !== 1) throw new UsageError(`--${name} takes ${arity} values (--${name} ${option.value}), not --${name}=…`);
      values = [inline];
    } else {
      values = argv.slice(i + 1, i + 1 + arity);
      // A following option is not taken as the value: `--db --json` is a missing path, not a file named "--json".
      if (values.length < arity || values.some((next) => next.startsWith('--'))) throw new UsageError(`--${name} needs ${arity === 1 ? 'a value' : `${arity} values`} (${option.value})`);
      i += arity;
    }
    if (flags.has(name) && !option.repeatable) throw new UsageError(`--${name} is given more than once`);
    flags.set(name, [...(flags.get(name) ?? []), ...values]);
  }
  const wanted = spec.arguments ?? [];
  if (positionals.length < wanted.length) throw new UsageError(`missing ${wanted.slice(positionals.length).map((argument) => argument.name).join(' ')}`);
  if (positionals.length > wanted.length) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[wanted.length])} (${spec.name} takes ${wanted.length === 0 ? 'none' : wanted.map((argument) => argument.name).join(' ')})`);
  }
  for (const option of spec.options) {
    if (option.required && !flags.has(option.name)) throw new UsageError(`--${option.name} ${option.value ?? ''} is required`.trimEnd());
  }
  return { positionals, flags };
}

/** `swarmscope snapshot --netuid N [options]`: arguments and required options; the rest is listed by optionsHelp. */
export function usageLine(spec: CommandSpec): string {
  const required = spec.options.filter((option) => option.required).map(optionSyntax);
  return ['swarmscope', spec.name, ...(spec.arguments ?? []).map((argument) => argument.name), ...required, '[options]'].join(' ');
}

/** One line per argument and option, from the same declaration the parser reads. */
export function optionsHelp(spec: CommandSpec): string {
  const entries = [
    ...(spec.arguments ?? []).map((argument) => [argument.name, argument.help]),
    ...optionsOf(spec).map((option) => [
      `${optionSyntax(option)}${option.repeatable ? ' …' : ''}`,
      `${option.help}${option.required ? ' (required)' : ''}${option.repeatable ? '; repeat for several' : ''}`,
    ]),
  ];
  const width = Math.max(...entries.map(([syntax]) => syntax.length));
  return entries.map(([syntax, help]) => `  ${syntax.padEnd(width)}  ${help}`).join('\n');
}

function optionSyntax(option: CliOption): string {
  return option.value === undefined ? `--${option.name}` : `--${option.name} ${option.value}`;
}

export function flag(args: CliArgs, name: string): string | undefined {
  const values = args.flags.get(name);
  return values?.[values.length - 1];
}

export function flagList(args: CliArgs, name: string): string[] {
  return [...(args.flags.get(name) ?? [])];
}

/** The values of an option that takes `size` words at a time, one group per use, in order: `--param a 1 --param b 2`. */
export function flagGroups(args: CliArgs, name: string, size: number): string[][] {
  const values = args.flags.get(name) ?? [];
  return Array.from({ length: Math.floor(values.length / size) }, (_, i) => values.slice(i * size, (i + 1) * size));
}

export function hasFlag(args: CliArgs, name: string): boolean {
  return args.flags.has(name);
}

export function intFlag(args: CliArgs, name: string): number | undefined {
  const value = flag(args, name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new UsageError(`--${name} must be an integer, not ${JSON.stringify(value)}`);
  return parsed;
}
