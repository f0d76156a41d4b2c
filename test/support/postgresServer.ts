import { execFile, spawnSync, type ExecFileOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import { freePort } from './codeServer';

/**
 * A private PostgreSQL server for a test file or a bench: Debian's binaries, a fresh cluster in a temp folder, a
 * free loopback port, and no trace left once stopped. The server refuses to run as root, so when we are root the
 * folder is handed to the `postgres` user (which Debian's package creates) and the server runs as it.
 *
 * Start one per file and give each test its own database (`createDatabase`): initdb costs about a second, a
 * database a few milliseconds.
 */

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`: the superuser, no password (trust), the maintenance database. */
  readonly url: string;
  readonly port: number;
  /** The temp folder holding the cluster, its log and its socket; gone after `stop()`. */
  readonly dir: string;
  /** Stops and starts the server on the same cluster (`pg_ctl restart -m fast`): empty shared buffers, as after a reboot. */
  restart(): Promise<void>;
  /** Stops the server (`pg_ctl stop -m fast`) and removes its folder; a second call does nothing. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /**
   * Roles that must give a password (SCRAM) over TCP; everyone else is trusted. The roles themselves are created by
   * the test (`CREATE ROLE alice LOGIN PASSWORD '…'`): this is how the password paths (PGPASSWORD, .pgpass, an
   * explicit password) and a refused password are shown against a real server.
   */
  readonly passwordRoles?: readonly string[];
  /**
   * Keep PostgreSQL's durability (fsync, synchronous commit, full-page writes), as a real team server has it: for
   * benches whose figures should hold there. Tests leave it off: a scratch cluster gains nothing from it.
   */
  readonly durable?: boolean;
}

const POSTGRES_ROOT = '/usr/lib/postgresql';
/** A port taken between `freePort` and the server's bind is retried on another one, this many times in all. */
const START_ATTEMPTS = 3;

/** The newest installed PostgreSQL's bin folder (`/usr/lib/postgresql/<major>/bin`), or a message saying how to get one. */
export function postgresBinDir(): string {
  const majors = fs.existsSync(POSTGRES_ROOT) ? fs.readdirSync(POSTGRES_ROOT).filter((name) => /^\d+$/.test(name)) : [];
  majors.sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const bin = path.join(POSTGRES_ROOT, major, 'bin');
    if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  throw new Error(`no PostgreSQL server under ${POSTGRES_ROOT}/*/bin: install Debian's "postgresql" package (.ci/run does)`);
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const owner = serverOwner();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const run = (tool: string, args: readonly string[]) => runAs(owner, path.join(bin, tool), args);
  try {
    if (owner) fs.chownSync(dir, owner.uid, owner.gid);
    // C locale and no fsync of the new files: the cluster is thrown away, and initdb's syncs are most of its time.
    await run('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
    if (options.passwordRoles && options.passwordRoles.length > 0) requirePasswords(dataDir, options.passwordRoles);
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      writeSettings(dataDir, dir, port, options.durable ?? false);
      try {
        await run('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '30', 'start']);
      } catch (error) {
        if (attempt < START_ATTEMPTS && /could not bind|Address already in use/.test(readTail(logFile))) continue;
        throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n--- server log (tail) ---\n${readTail(logFile)}`);
      }
      return track({ dir, dataDir, port, owner, bin });
    }
  } catch (error) {
    // A cluster that never ran, or ran but failed to answer, is stopped (if anything is there to stop) and removed.
    spawnStop(owner, bin, dataDir);
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A fresh, empty database on `server` (`t_<random>`), as a URL: tests in one file share a server, never a database. */
export async function createDatabase(server: PostgresServer): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return server.url.replace(/\/postgres$/, `/${name}`);
}

interface Owner {
  readonly uid: number;
  readonly gid: number;
}

/** The account the server runs as: `postgres` when we are root (the server refuses root), else ourselves (undefined). */
function serverOwner(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((line) => line.startsWith('postgres:'));
  if (!entry) throw new Error('running as root, and there is no "postgres" user to run PostgreSQL as: install Debian\'s "postgresql" package');
  const [, , uid, gid] = entry.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function runAs(owner: Owner | undefined, file: string, args: readonly string[]): Promise<void> {
  // cwd: the tools chdir nowhere themselves, and the postgres user may not be allowed into ours.
  const options: ExecFileOptions = { cwd: '/', env: { ...process.env, LC_ALL: 'C' }, ...(owner ? { uid: owner.uid, gid: owner.gid } : {}) };
  return new Promise((resolve, reject) => {
    execFile(file, args, options, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(file)} failed (${error.code ?? error.signal}): ${String(stderr).trim() || error.message}`));
      else resolve();
    });
  });
}

function writeSettings(dataDir: string, dir: string, port: number, durable: boolean): void {
  // postgresql.auto.conf is read last and rewritten whole here, so a retry on another port replaces the last one.
  const settings = [
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    // The socket in our own folder: the system's /var/run/postgresql may be missing or belong to another cluster.
    `unix_socket_directories = '${dir}'`,
    // A scratch cluster: durability buys nothing and costs most of the write time.
    ...(durable ? [] : ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off']),
  ];
  fs.writeFileSync(path.join(dataDir, 'postgresql.auto.conf'), `${settings.join('\n')}\n`);
}

function requirePasswords(dataDir: string, roles: readonly string[]): void {
  const hba = path.join(dataDir, 'pg_hba.conf');
  // First matching line wins: these come before initdb's trust lines.
  const lines = roles.map((role) => `host all ${role} 127.0.0.1/32 scram-sha-256`);
  fs.writeFileSync(hba, `${lines.join('\n')}\n${fs.readFileSync(hba, 'utf8')}`);
}

function readTail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

interface Running {
  readonly dir: string;
  readonly dataDir: string;
  readonly port: number;
  readonly owner: Owner | undefined;
  readonly bin: string;
}

/** Servers still up: stopped on exit too, so a test that throws before its `after` leaves no postgres behind. */
const running = new Set<Running>();
let exitHookInstalled = false;

function track(server: Running): PostgresServer {
  running.add(server);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const left of running) {
        spawnStop(left.owner, left.bin, left.dataDir);
        fs.rmSync(left.dir, { recursive: true, force: true });
      }
    });
  }
  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://postgres@127.0.0.1:${server.port}/postgres`,
    port: server.port,
    dir: server.dir,
    restart: () => runAs(server.owner, path.join(server.bin, 'pg_ctl'), ['-D', server.dataDir, '-l', path.join(server.dir, 'server.log'), '-w', '-t', '60', 'restart', '-m', 'fast']),
    stop: () => {
      stopped ??= (async () => {
        try {
          await runAs(server.owner, path.join(server.bin, 'pg_ctl'), ['-D', server.dataDir, '-w', '-t', '30', 'stop', '-m', 'fast']);
        } finally {
          running.delete(server);
          fs.rmSync(server.dir, { recursive: true, force: true });
        }
      })();
      return stopped;
    },
  };
}

/** Synchronous, for the exit hook and failed starts; a cluster that is not running makes pg_ctl fail, harmlessly. */
function spawnStop(owner: Owner | undefined, bin: string, dataDir: string): void {
  if (!fs.existsSync(path.join(dataDir, 'postmaster.pid'))) return;
  spawnSync(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-w', '-t', '30', 'stop', '-m', 'immediate'], {
    cwd: '/',
    stdio: 'ignore',
    ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
  });
}
