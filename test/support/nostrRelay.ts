import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { NostrRelay } from '@nostr-relay/core';
import { EventRepositorySqlite } from '@nostr-relay/event-repository-sqlite';
import { Validator } from '@nostr-relay/validator';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A real NIP-01 relay on loopback for tests: @nostr-relay/core over its sqlite repository, behind a small `ws`
 * server. `restart` brings it back on the SAME port with the SAME sqlite file, as a relay process restart would,
 * so a test can take it away from a connected client and bring it back with its events (plus any it injected while
 * it was down).
 */

export interface RelayTuning {
  /** Kinds allowed in one filter (the library's default is 20; our collector asks for 5000–7000 in one). */
  readonly maxFilterKinds?: number;
  /** Result cap without `limit`; the cap with `limit` is ten times this (library: 100 / 1000). */
  readonly defaultLimit?: number;
  /** The library serves an identical REQ within 1 s from a cache; tests that page want fresh answers (0 = off). */
  readonly filterCacheMs?: number;
  readonly maxSubscriptionsPerClient?: number;
}

export interface StartRelayOptions {
  /** 0 or absent: any free port. */
  readonly port?: number;
  /** Absent: a file in a fresh temp folder, deleted by `stop()`. */
  readonly dbFile?: string;
  readonly options?: RelayTuning;
}

/** Events given to `inject` are stored and broadcast exactly as if a client had published them. */
export type InjectEvent = (event: unknown) => Promise<void>;

export interface TestRelay {
  readonly url: string;
  readonly port: number;
  readonly dbFile: string;
  /** Stores (and broadcasts to live subscribers) an event without going through a socket. */
  inject: InjectEvent;
  /** Drops every connection and closes the store; runs `whileDown` (which may inject); then listens again. */
  restart(whileDown?: (inject: InjectEvent) => Promise<void>): Promise<void>;
  /** Closes everything and deletes the temp folder if this relay made it. */
  stop(): Promise<void>;
  /** Open connections that have asked (REQ) for `kind`: how many collectors subscribe, e.g. to feedback (7000). */
  connectionsAsking(kind: number): number;
}

const DEFAULT_TUNING: Required<RelayTuning> = {
  maxFilterKinds: 5000,
  defaultLimit: 500,
  filterCacheMs: 0,
  maxSubscriptionsPerClient: 20,
};

interface RelayCore {
  readonly repository: EventRepositorySqlite;
  readonly relay: NostrRelay;
}

export async function startRelay(options: StartRelayOptions = {}): Promise<TestRelay> {
  const tuning = { ...DEFAULT_TUNING, ...options.options };
  const ownedDir = options.dbFile ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-relay-'));
  const dbFile = options.dbFile ?? path.join(ownedDir!, 'relay.sqlite');
  const validator = new Validator({ maxFilterKindsLength: tuning.maxFilterKinds });
  const askedKinds: AskedKinds = new Map();

  let core: RelayCore | undefined;
  let listener: Listener;
  try {
    core = await openCore(dbFile, tuning);
    listener = await listen(options.port ?? 0, () => core, validator, askedKinds);
  } catch (error) {
    await closeCore(core).catch(() => undefined);
    if (ownedDir) fs.rmSync(ownedDir, { recursive: true, force: true });
    throw error;
  }
  const port = listener.port;

  const inject: InjectEvent = async (event) => {
    if (!core) throw new Error('the test relay is stopped');
    await storeEvent(core, event);
  };

  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    dbFile,
    inject,
    async restart(whileDown) {
      await listener.close();
      await closeCore(core);
      core = await openCore(dbFile, tuning);
      await whileDown?.(inject);
      listener = await listen(port, () => core, validator, askedKinds);
    },
    async stop() {
      await listener.close();
      await closeCore(core);
      core = undefined;
      if (ownedDir) fs.rmSync(ownedDir, { recursive: true, force: true });
    },
    connectionsAsking: (kind) => [...askedKinds.values()].filter((kinds) => kinds.has(kind)).length,
  };
}

/** Per open connection, every kind its REQs asked for. */
type AskedKinds = Map<WebSocket, Set<number>>;

async function openCore(dbFile: string, tuning: Required<RelayTuning>): Promise<RelayCore> {
  const repository = new EventRepositorySqlite(dbFile, { defaultLimit: tuning.defaultLimit });
  await repository.init();
  const relay = new NostrRelay(repository, {
    filterResultCacheTtl: tuning.filterCacheMs,
    // An OK result is otherwise cached by id for 10 min, which would hide a re-publish after a restart.
    eventHandlingResultCacheTtl: 0,
    maxSubscriptionsPerClient: tuning.maxSubscriptionsPerClient,
    logLevel: 3,
  });
  return { repository, relay };
}

async function closeCore(core: RelayCore | undefined): Promise<void> {
  if (!core) return;
  await core.relay.destroy();
  await core.repository.destroy();
}

/**
 * NIP-09 asks relays to keep serving deletion requests; this library deletes the targets but neither stores nor
 * broadcasts the kind 5 itself, so a collector would never see a cancellation. We store and broadcast it here.
 */
async function storeEvent(core: RelayCore, event: unknown): Promise<{ ok: boolean; message?: string }> {
  const typed = event as Parameters<NostrRelay['handleEvent']>[0];
  const result = await core.relay.handleEvent(typed);
  if (result.success && typed.kind === 5) {
    const { isDuplicate } = await core.repository.upsert(typed);
    if (!isDuplicate) await core.relay.broadcast(typed);
  }
  return { ok: result.success, message: result.message };
}

interface Listener {
  readonly port: number;
  close(): Promise<void>;
}

function listen(port: number, currentCore: () => RelayCore | undefined, validator: Validator, askedKinds: AskedKinds): Promise<Listener> {
  const server = http.createServer((_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain' }).end('this is a nostr relay: connect with a WebSocket');
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket: WebSocket, request) => {
    const core = currentCore();
    if (!core) return socket.terminate();
    core.relay.handleConnection(socket, request.socket.remoteAddress);
    socket.on('message', (data) => void handleMessage(core, validator, socket, data.toString(), askedKinds));
    socket.on('close', () => {
      askedKinds.delete(socket);
      core.relay.handleDisconnect(socket);
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            // terminate (not close) so clients see the connection drop at once, as when a relay process dies.
            for (const client of wss.clients) client.terminate();
            wss.close();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function handleMessage(core: RelayCore, validator: Validator, socket: WebSocket, text: string, askedKinds: AskedKinds): Promise<void> {
  let message: Awaited<ReturnType<Validator['validateIncomingMessage']>>;
  try {
    message = await validator.validateIncomingMessage(text);
  } catch (error) {
    // nostr-tools waits out its EOSE timeout on a NOTICE; a rejected REQ must be answered with CLOSED.
    const detail = error instanceof Error ? error.message : String(error);
    const reason = detail.startsWith('invalid:') ? detail : `invalid: ${detail}`;
    const parsed = safeParse(text);
    if (Array.isArray(parsed) && parsed[0] === 'REQ' && typeof parsed[1] === 'string') send(socket, ['CLOSED', parsed[1], reason]);
    else if (Array.isArray(parsed) && parsed[0] === 'EVENT' && typeof parsed[1]?.id === 'string') send(socket, ['OK', parsed[1].id, false, reason]);
    else send(socket, ['NOTICE', reason]);
    return;
  }
  try {
    if (message[0] === 'REQ') {
      const kinds = askedKinds.get(socket) ?? new Set<number>();
      for (const filter of message.slice(2) as { kinds?: number[] }[]) for (const kind of filter.kinds ?? []) kinds.add(kind);
      askedKinds.set(socket, kinds);
    }
    if (message[0] === 'EVENT') {
      const result = await storeEvent(core, message[1]);
      send(socket, ['OK', message[1].id, result.ok, result.message ?? '']);
      return;
    }
    await core.relay.handleMessage(socket, message);
  } catch (error) {
    send(socket, ['NOTICE', `error: ${error instanceof Error ? error.message : String(error)}`]);
  }
}

function send(socket: WebSocket, message: unknown): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
