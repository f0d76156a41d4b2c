import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { REPO_ROOT } from '../support/paths';

/**
 * The storage seam (issue 14 §1): SQL and database handles live in the two adapters, src/core/store/sqlite and
 * src/core/store/postgres, and in src/core/store/sharedSql (SQL both adapters send word for word); engine modules,
 * queries and domain code speak the core's types. The check reads each file's string and template literals (so SQL
 * words in comments or identifiers do not count), the names it declares, and its imports.
 */

const SRC = path.join(REPO_ROOT, 'src');
const folder = (dir: string): string => path.join(SRC, dir) + path.sep;
const SQLITE_ADAPTER = folder('core/store/sqlite');
const POSTGRES_ADAPTER = folder('core/store/postgres');
const SHARED_SQL = folder('core/store/sharedSql');
const SQL_HOMES = [SQLITE_ADAPTER, POSTGRES_ADAPTER, SHARED_SQL];

/** Statement shapes in either dialect; upper case, as every statement in this code base is written. */
const SQL_STATEMENT = /\b(SELECT\b[\s\S]*\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|(CREATE|DROP|ALTER)\s+(TEMP\s+|UNIQUE\s+)?(TABLE|INDEX|VIEW|TRIGGER))\b/;
/** Transaction control sent on its own, as `db.run('BEGIN')` does. */
const SQL_CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|VACUUM|PRAGMA)\b/;
/** Pieces a statement is built from: expressions and clauses (upper case, as above). */
const SQL_FRAGMENT = /\b(CASE\s+WHEN\b|(IFNULL|COALESCE|SUM|COUNT|TOTAL|AVG|MIN|MAX)\s*\(|IS\s+(NOT\s+)?NULL\b|ORDER\s+BY\b|GROUP\s+BY\b|JOIN\b|WHERE\b)/;
/** A column list in one literal, 'id, pubkey, created_at': three or more snake_case names, one with an underscore. */
const COLUMN_LIST = /^(?=[\s\S]*[a-z]_[a-z])\s*[a-z_]+(\.[a-z_]+)?(\s*,\s*[a-z_]+(\.[a-z_]+)?){2,}\s*$/;
/** A declaration named for the SQL it holds (TRACE_FIELD_SQL, unrollDaySql). */
const SQL_NAME = /(^|_)SQL$|[a-z0-9]Sql$/;
const DATABASE_MODULES = new Set(['sql.js', 'pg']);

/** The package a module specifier names, its subpath aside: 'pg/lib/client' → 'pg', '@scope/name/x' → '@scope/name'. */
function packageOf(specifier: string): string {
  return specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

/** The specifier a node loads a module by, whichever way: import or export … from, import(…), require(…), import x = require(…). */
function loadedModule(node: ts.Node): string | undefined {
  if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) return node.moduleSpecifier.text;
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
    return node.moduleReference.expression.text;
  }
  if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0]!)
    && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
    return node.arguments[0].text;
  }
  return undefined;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/**
 * An array of three or more snake_case string literals, one with an underscore: the columns a statement is built
 * from (['requests', 'sats_requested', …]). Lists of words a UI shows are not snake_case. A list declared as
 * `(keyof T)[]` is not counted: it names a domain type's fields (tally.ts ROLLUP_FIELDS), which the type checker
 * holds to that type; the adapters map them to columns.
 */
function isColumnNames(array: ts.ArrayLiteralExpression): boolean {
  const declared = ts.isVariableDeclaration(array.parent) ? array.parent.type?.getText() : undefined;
  if (declared !== undefined && /\bkeyof\b/.test(declared)) return false;
  const texts = array.elements.map((element) => (ts.isStringLiteral(element) ? element.text : undefined));
  return texts.length >= 3 && texts.every((text) => text !== undefined && /^[a-z]+(_[a-z]+)*$/.test(text)) && texts.some((text) => text!.includes('_'));
}

/** What in one file breaks the seam: SQL or its fragments in its literals or names, or an import of a database driver. */
function seamBreaks(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const loaded = loadedModule(node);
    if (loaded !== undefined) {
      if (DATABASE_MODULES.has(packageOf(loaded))) found.push(`imports ${loaded}`);
      return;
    }
    const line = (): number => source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    if ((ts.isVariableDeclaration(node) || ts.isFunctionDeclaration(node)) && node.name && ts.isIdentifier(node.name) && SQL_NAME.test(node.name.text)) {
      found.push(`line ${line()}: declares ${node.name.text}`);
    }
    if (ts.isArrayLiteralExpression(node) && isColumnNames(node)) found.push(`line ${line()}: column names [${node.elements.slice(0, 3).map((element) => element.getText()).join(', ')}, …]`);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node)) {
      if (SQL_STATEMENT.test(node.text) || SQL_CONTROL.test(node.text) || SQL_FRAGMENT.test(node.text) || COLUMN_LIST.test(node.text)) {
        found.push(`line ${line()}: ${node.text.trim().split('\n')[0]!.slice(0, 60)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('the check sees SQL in literals and driver imports, and not SQL words in comments or prose', () => {
  assert.deepEqual(seamBreaks('a.ts', "// SELECT x FROM t\n/* DELETE FROM t */\nconst label = 'Select a DVM from the list';"), []);
  assert.equal(seamBreaks('b.ts', "const sql = `SELECT id\n FROM events WHERE kind = ${kind}`;").length, 1);
  assert.equal(seamBreaks('c.ts', "db.run('INSERT OR IGNORE INTO pins (domain) VALUES (?)');").length, 1);
  assert.equal(seamBreaks('d.ts', "db.run('BEGIN');").length, 1);
  assert.deepEqual(seamBreaks('e.ts', "import type { Database } from 'sql.js';"), ['imports sql.js']);
  assert.deepEqual(seamBreaks('e2.ts', "const driver = await import('pg');"), ['imports pg']);
  assert.deepEqual(seamBreaks('e3.ts', "const initSqlJs = require('sql.js/dist/sql-wasm.js');"), ['imports sql.js/dist/sql-wasm.js']);
  assert.deepEqual(seamBreaks('e4.ts', "import { Client } from 'pg/lib/client';\nimport pgTypes = require('pg/lib/types');"), ['imports pg/lib/client', 'imports pg/lib/types']);
  assert.deepEqual(seamBreaks('e5.ts', "import { parse } from 'pg-protocol';\nconst x = require('pgx');"), [], 'other packages whose names start alike');
});

test('the check sees the fragments statements are built from: expressions, column lists, names that say SQL', () => {
  assert.equal(seamBreaks('f.ts', "const daily = { incentive: 'SUM(incentive_sum) * 1.0 / SUM(samples)' };").length, 1);
  assert.equal(seamBreaks('g.ts', "const share = [['earned', 'CASE WHEN R.results > 0 THEN R.requested_msats ELSE 0 END']];").length, 1);
  assert.equal(seamBreaks('h.ts', "const onChain = (p = '') => `IFNULL(${p}genesis, '') = ?`;").length, 1);
  assert.equal(seamBreaks('i.ts', "const COLUMNS = 'id, pubkey, created_at, kind';").length, 1);
  assert.equal(seamBreaks('j.ts', "const SUMS = ['requests', 'results', 'sats_requested'] as const;").length, 1);
  assert.deepEqual(seamBreaks('j2.ts', "const FIELDS: readonly (keyof Sums)[] = ['requests', 'results', 'sats_requested'];"), []);
  assert.deepEqual(seamBreaks('k.ts', "export function rowsSql(): string { return ''; }"), ['line 1: declares rowsSql']);
  assert.deepEqual(seamBreaks('l.ts', "const words = ['errors', 'success', 'pending'];\nconst label = 'Max (per day)';\nconst hint = 'jobs, errors, success';"), []);
});

test('no file outside the two adapters and their shared SQL holds SQL or its fragments, or imports a database driver', () => {
  const breaks = sourceFiles(SRC)
    .filter((file) => !SQL_HOMES.some((dir) => file.startsWith(dir)))
    .flatMap((file) => seamBreaks(file, fs.readFileSync(file, 'utf8')).map((what) => `${path.relative(REPO_ROOT, file)}: ${what}`));
  assert.deepEqual(breaks, []);
});

/** The engine's storage opener: sql.js by default, PostgreSQL for a postgres:// URL (openEngineStorage.ts). */
const STORAGE_OPENER = path.join(SRC, 'engine', 'openEngineStorage.ts');
/** pgUrl.ts: checks a postgres:// URL and names it without its password, and opens nothing. */
const PG_URL = path.join(POSTGRES_ADAPTER, 'pgUrl');

/**
 * Who outside an adapter's own folder may reach into it, and what each may load there (a path without its
 * extension, or the adapter's folder for anything in it). Nothing else may, src/core/store's seam files included:
 * storage.ts and pinRepo.ts speak the core's types, and a store file that needed the sql.js adapter would tie the
 * seam to one dialect.
 */
const ADAPTER_ENTRY_POINTS: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>> = new Map([
  [SQLITE_ADAPTER, new Map([
    // Where the engine picks its storage: the sql.js file unless a URL is given.
    [STORAGE_OPENER, [SQLITE_ADAPTER]],
  ])],
  [POSTGRES_ADAPTER, new Map([
    // Opens the team's store for a postgres:// URL.
    [STORAGE_OPENER, [POSTGRES_ADAPTER]],
    // The URL's own handling, which connects to nothing: the CLI's --store, the swarmscope.storage.url setting, and
    // the extension naming the store in its status without the password.
    [path.join(SRC, 'cli', 'cliCommand.ts'), [PG_URL]],
    [path.join(SRC, 'core', 'config', 'settings.ts'), [PG_URL]],
    [path.join(SRC, 'services.ts'), [PG_URL]],
  ])],
]);

/** Where each relative module `text` loads resolves to (no extension), whichever way it loads it (loadedModule). */
function relativeLoads(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const loads: string[] = [];
  const visit = (node: ts.Node): void => {
    const loaded = loadedModule(node);
    if (loaded?.startsWith('.')) loads.push(path.resolve(path.dirname(file), loaded));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return loads;
}

const within = (loaded: string, dir: string): boolean => (loaded + path.sep).startsWith(dir);

/** What `file` (with contents `text`) loads from an adapter it is neither part of nor listed for in ADAPTER_ENTRY_POINTS. */
function strayAdapterLoads(file: string, text: string): string[] {
  return relativeLoads(file, text).flatMap((loaded) => [...ADAPTER_ENTRY_POINTS].flatMap(([adapter, entryPoints]) => {
    if (!within(loaded, adapter) || file.startsWith(adapter)) return [];
    const allowed = entryPoints.get(file) ?? [];
    return allowed.some((target) => loaded === target || within(loaded, target)) ? [] : [`${path.relative(REPO_ROOT, file)} loads ${path.relative(REPO_ROOT, loaded)}`];
  }));
}

/** The files under `from` that load something under `into`. */
function importing(from: (file: string) => boolean, into: string): string[] {
  return sourceFiles(SRC)
    .filter(from)
    .filter((file) => relativeLoads(file, fs.readFileSync(file, 'utf8')).some((loaded) => within(loaded, into)))
    .map((file) => path.relative(REPO_ROOT, file));
}

test('the adapter check catches a stray load of either adapter, and passes the listed entry points', () => {
  const at = (...parts: string[]) => path.join(SRC, ...parts);
  assert.equal(strayAdapterLoads(at('engine', 'stray.ts'), "import { openPgStorage } from '../core/store/postgres/pgStorage';").length, 1);
  assert.equal(strayAdapterLoads(at('engine', 'stray.ts'), "const { SqliteStorage } = await import('../core/store/sqlite/sqliteStorage');").length, 1);
  assert.equal(strayAdapterLoads(at('core', 'store', 'storage.ts'), "export type { Database } from './sqlite/store';").length, 1, 'the store seam files are not the sql.js adapter');
  assert.equal(strayAdapterLoads(at('core', 'store', 'pinRepo.ts'), "import { PgStorage } from './postgres/pgStorage';").length, 1);
  assert.equal(strayAdapterLoads(at('cli', 'cliCommand.ts'), "import { openPgStorage } from '../core/store/postgres/pgStorage';").length, 1, 'URL handling opens nothing');
  assert.deepEqual(strayAdapterLoads(at('cli', 'cliCommand.ts'), "import { checkPgUrl } from '../core/store/postgres/pgUrl';"), []);
  assert.deepEqual(strayAdapterLoads(STORAGE_OPENER, "import { openPgStorage } from '../core/store/postgres/pgStorage';\nimport { SqliteStorage } from '../core/store/sqlite/sqliteStorage';"), []);
  assert.deepEqual(strayAdapterLoads(at('core', 'store', 'sqlite', 'store.ts'), "import { sqlRows } from './sqlRows';"), []);
});

test('engine, domain, UI and store seam code reach either adapter only through the listed entry points', () => {
  assert.deepEqual(sourceFiles(SRC).flatMap((file) => strayAdapterLoads(file, fs.readFileSync(file, 'utf8'))), []);
  // The list names only files that load from their adapter: one that stopped should leave it, not keep a standing exemption.
  for (const [adapter, entryPoints] of ADAPTER_ENTRY_POINTS) {
    for (const file of entryPoints.keys()) assert.ok(importing((candidate) => candidate === file, adapter).length === 1, `${path.relative(REPO_ROOT, file)} loads nothing from ${path.relative(REPO_ROOT, adapter)}`);
  }
});

test('neither adapter imports the other, and their shared SQL imports neither: SQL both send lives in sharedSql', () => {
  assert.deepEqual(importing((file) => file.startsWith(POSTGRES_ADAPTER), SQLITE_ADAPTER), []);
  assert.deepEqual(importing((file) => file.startsWith(SQLITE_ADAPTER), POSTGRES_ADAPTER), []);
  assert.deepEqual(importing((file) => file.startsWith(SHARED_SQL), SQLITE_ADAPTER), []);
  assert.deepEqual(importing((file) => file.startsWith(SHARED_SQL), POSTGRES_ADAPTER), []);
});
