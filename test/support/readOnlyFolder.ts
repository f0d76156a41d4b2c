import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Makes `dir` refuse new files, for root too, and returns the undo. An ordinary user is stopped by the folder's mode;
 * root ignores modes, so for root the folder also gets the immutable attribute (`chattr +i`, ext4 and most Linux
 * file systems). Checked by trying to write: a folder that still accepts a file is an error here, not a pass.
 */
export function makeReadOnly(dir: string): () => void {
  const mode = fs.statSync(dir).mode & 0o777;
  fs.chmodSync(dir, 0o555);
  let immutable = false;
  if (acceptsFiles(dir)) {
    execFileSync('chattr', ['+i', dir]);
    immutable = true;
  }
  const undo = () => {
    if (immutable) execFileSync('chattr', ['-i', dir]);
    fs.chmodSync(dir, mode);
  };
  if (acceptsFiles(dir)) {
    undo();
    throw new Error(`${dir} still accepts new files after chmod 555 and chattr +i; this file system cannot make a read-only folder`);
  }
  return undo;
}

function acceptsFiles(dir: string): boolean {
  const probe = path.join(dir, '.write-probe');
  try {
    fs.writeFileSync(probe, '');
  } catch {
    return false;
  }
  fs.rmSync(probe, { force: true });
  return true;
}
