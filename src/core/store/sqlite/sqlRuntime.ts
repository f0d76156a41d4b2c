import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | undefined;

/**
 * Loads sql.js once per process. The bundles ship `sql-wasm.wasm` beside themselves in dist/; when run from
 * sources (tests, tsx) it comes from node_modules. Handing the bytes over as `wasmBinary` keeps sql.js from
 * guessing a URL, which it gets wrong inside a bundle.
 */
export function loadSqlJs(): Promise<SqlJsStatic> {
  loading ??= initSqlJs({ wasmBinary: readWasm() as unknown as ArrayBuffer });
  return loading;
}

function readWasm(): Uint8Array {
  const besideBundle = path.join(__dirname, 'sql-wasm.wasm');
  if (fs.existsSync(besideBundle)) return fs.readFileSync(besideBundle);
  // A computed id keeps bundlers from trying to inline the .wasm; from sources it resolves in node_modules.
  const fromPackage = ['sql.js', 'dist', 'sql-wasm.wasm'].join('/');
  return fs.readFileSync(require.resolve(fromPackage));
}
