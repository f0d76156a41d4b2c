import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeError } from '../core/util/errors';

/**
 * Where the engine that owns a database listens for other windows and CLI processes: a Unix domain socket in a
 * folder only this user can enter (0700, checked to be ours and not a symlink), or a named pipe on Windows. Named
 * by a hash of the database path, since socket paths are limited to about 100 bytes (sun_path is 104–108).
 */

const MAX_SOCKET_PATH = 100;

export function engineSocketPath(dbPath: string): string {
  const user = os.userInfo().username;
  const hash = createHash('sha256').update(`${user}\0${path.resolve(dbPath)}`).digest('hex').slice(0, 16);
  if (process.platform === 'win32') return `\\\\.\\pipe\\swarmscope-${hash}`;
  const uid = process.getuid?.() ?? 0;
  const bases = [process.env.XDG_RUNTIME_DIR, os.tmpdir(), '/tmp'].filter((base): base is string => !!base && path.isAbsolute(base));
  const refused: string[] = [];
  for (const base of bases) {
    const dir = path.join(base, `swarmscope-${uid}`);
    const socket = path.join(dir, `${hash}.sock`);
    if (Buffer.byteLength(socket) > MAX_SOCKET_PATH || !isDirectory(base)) continue;
    try {
      ensurePrivateFolder(dir, uid);
      return socket;
    } catch (error) {
      refused.push(describeError(error));
    }
  }
  throw new Error(`no private folder with a short enough path for the engine socket (tried ${bases.join(', ')}${refused.length > 0 ? `: ${refused.join('; ')}` : ''})`);
}

function ensurePrivateFolder(dir: string, uid: number): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== uid) {
    throw new Error(`${dir} is not a folder of this user's; the engine socket is not put there`);
  }
  if ((stat.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
