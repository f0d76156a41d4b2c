import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { REPO_ROOT } from '../support/paths';

/**
 * The storage seam (issue 14 §1): SQL and database handles live in the two adapters, src/core/store/sqlite and
 * src/core/store/postgres; engine modules, queries and domain code speak the core's types. The check reads each
 * file's string and template literals (so SQL words in comments or identifiers do not count) and its imports.
 */

const SRC = path.join(REPO_ROOT, 'src');
const ADAPTERS = ['core/store/sqlite', 'core/store/postgres'].map((dir) => path.join(SRC, dir) + path.sep);

/** Statement shapes in either dialect; upper case, as every statement in this code base is written. */
const SQL_STATEMENT = /\b(SELECT\b[\s\S]*\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|(CREATE|DROP|ALTER)\s+(TEMP\s+|UNIQUE\s+)?(TABLE|INDEX|VIEW|TRIGGER))\b/;
/** Transaction control sent on its own, as `db.run('BEGIN')` does. */
const SQL_CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|VACUUM|PRAGMA)\b/;
const DATABASE_MODULES = new Set(['sql.js', 'pg']);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** What in one file breaks the seam: SQL in its literals, or an import of a database driver. */
function seamBreaks(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (DATABASE_MODULES.has(node.moduleSpecifier.text)) found.push(`imports ${node.moduleSpecifier.text}`);
      return;
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node)) {
      if (SQL_STATEMENT.test(node.text) || SQL_CONTROL.test(node.text)) {
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        found.push(`line ${line}: ${node.text.trim().split('\n')[0]!.slice(0, 60)}`);
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
});

test('no file outside the SQLite and PostgreSQL adapters holds SQL or imports a database driver', () => {
  const breaks = sourceFiles(SRC)
    .filter((file) => !ADAPTERS.some((dir) => file.startsWith(dir)))
    .flatMap((file) => seamBreaks(file, fs.readFileSync(file, 'utf8')).map((what) => `${path.relative(REPO_ROOT, file)}: ${what}`));
  assert.deepEqual(breaks, []);
});

/** Where the engine picks its storage: the one file outside the stores that names the sql.js adapter. */
const STORAGE_OPENER = path.join(SRC, 'engine', 'openEngineStorage.ts');
const SQLITE_ADAPTER = path.join(SRC, 'core', 'store', 'sqlite') + path.sep;

test('engine, domain and UI code reach the sql.js adapter only through the storage seam', () => {
  const reaching = sourceFiles(SRC)
    .filter((file) => !file.startsWith(path.join(SRC, 'core', 'store') + path.sep) && file !== STORAGE_OPENER)
    .filter((file) => {
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      return source.statements.some((statement) => (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement))
        && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text.startsWith('.')
        && (path.resolve(path.dirname(file), statement.moduleSpecifier.text) + path.sep).startsWith(SQLITE_ADAPTER));
    })
    .map((file) => path.relative(REPO_ROOT, file));
  assert.deepEqual(reaching, []);
});
