import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * A hostile subtensor node for XSS tests: a JSON-RPC WebSocket proxy on loopback in front of a real stand-in (the
 * replay node) that passes every message through unchanged, except that an error answer to one of `methods`
 * carries `message` instead of the node's own words. A node's error text is the one chain string that panels like
 * the Weights panel show as it came (hotkeys are SS58-encoded by us, figures are numbers).
 */
export interface HostileErrorProxy {
  readonly url: string;
  /** Error answers rewritten so far. */
  readonly rewritten: number;
  stop(): Promise<void>;
}

export async function startHostileErrorProxy(options: { target: string; methods: readonly string[]; message: string }): Promise<HostileErrorProxy> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  let rewritten = 0;
  server.on('connection', (client) => {
    const upstream = new WebSocket(options.target, { maxPayload: 64 * 1024 * 1024 });
    /** Request id → method, per connection: answers name only the id. */
    const methods = new Map<unknown, string>();
    const pending: string[] = [];
    upstream.on('open', () => {
      for (const message of pending.splice(0)) upstream.send(message);
    });
    client.on('message', (data) => {
      const text = data.toString();
      for (const request of asList(parse(text))) {
        if (isRecord(request) && typeof request.method === 'string') methods.set(request.id, request.method);
      }
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else pending.push(text);
    });
    upstream.on('message', (data) => {
      const parsed = parse(data.toString());
      for (const answer of asList(parsed)) {
        if (!isRecord(answer) || !isRecord(answer.error)) continue;
        if (options.methods.includes(methods.get(answer.id) ?? '')) {
          answer.error.message = options.message;
          rewritten++;
        }
      }
      if (client.readyState === WebSocket.OPEN) client.send(parsed === undefined ? data.toString() : JSON.stringify(parsed));
    });
    const closeBoth = () => {
      client.close();
      upstream.close();
    };
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
    upstream.on('error', closeBoth);
    client.on('error', closeBoth);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    get rewritten() {
      return rewritten;
    },
    stop: async () => {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
