import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const DIST = path.join(REPO_ROOT, 'dist');

/** The built engine worker; `npm test` builds first, a single test file run by hand needs `npm run build`. */
export function engineWorkerPath(): string {
  const file = path.join(DIST, 'engine.js');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first`);
  return file;
}
