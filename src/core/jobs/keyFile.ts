import * as fs from 'node:fs';
import { SecretKey } from './secretKey';

/** A key file is longer than this only by mistake (a wallet file, a private key in PEM); we do not read on. */
const MAX_KEY_FILE_BYTES = 1024;

/**
 * Reads a secret key (nsec or hex) from a file only its owner can read: a key file that group or others may read
 * (anything but 0600 or 0400) is refused, as ssh refuses such a private key, and the message says how to fix it.
 * Errors name the file, never its content.
 */
export function readKeyFile(file: string): SecretKey {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new Error(`cannot read the key file ${file}${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  if (!stat.isFile()) throw new Error(`the key file ${file} is not a regular file`);
  const mode = stat.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new Error(`the key file ${file} has mode ${mode.toString(8).padStart(4, '0')}: other users may read it; run chmod 600 on it`);
  }
  if (stat.size > MAX_KEY_FILE_BYTES) throw new Error(`the key file ${file} is ${stat.size} bytes: a key file holds one nsec or 64 hex characters`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new Error(`cannot read the key file ${file}${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  try {
    return SecretKey.parse(text);
  } catch (error) {
    throw new Error(`the key file ${file}: ${(error as Error).message}`);
  }
}
