import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * A hostile subtensor node for XSS tests: a JSON-RPC WebSocket proxy on loopback in front of a real stand-in (the
 * replay node) that passes every message through unchanged, except that an error answer to one of `methods`
 * carries `message` instead of the node's own words (a node's error text is the one chain string that panels like
 * the Weights panel show as it came), and that a result may be rewritten by `rewriteResult` (names the chain
 * chooses, such as identities: see hostileIdentities.ts). Rewriting can be switched on later, so that one
 * workbench sees the honest node first and the hostile one after.
 */
export interface HostileErrorProxy {
  readonly url: string;
  /** Error answers and results rewritten so far. */
  readonly rewritten: number;
  /** Replaces (or, with undefined, stops) the rewriting of results from now on. */
  setResultRewrite(rewrite: ResultRewrite | undefined): void;
  stop(): Promise<void>;
}

/** A result as the proxy will pass it on; returning `result` itself leaves the answer as the node sent it. */
export type ResultRewrite = (method: string, params: readonly unknown[], result: unknown) => unknown;

export interface HostileProxyOptions {
  readonly target: string;
  readonly methods?: readonly string[];
  readonly message?: string;
  readonly rewriteResult?: ResultRewrite;
}

export async function startHostileErrorProxy(options: HostileProxyOptions): Promise<HostileErrorProxy> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  let rewritten = 0;
  let rewriteResult = options.rewriteResult;
  server.on('connection', (client) => {
    const upstream = new WebSocket(options.target, { maxPayload: 64 * 1024 * 1024 });
    /** Request id → method and params, per connection: answers name only the id. */
    const requests = new Map<unknown, { method: string; params: readonly unknown[] }>();
    const pending: string[] = [];
    upstream.on('open', () => {
      for (const message of pending.splice(0)) upstream.send(message);
    });
    client.on('message', (data) => {
      const text = data.toString();
      for (const request of asList(parse(text))) {
        if (isRecord(request) && typeof request.method === 'string') {
          requests.set(request.id, { method: request.method, params: Array.isArray(request.params) ? request.params : [] });
        }
      }
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else pending.push(text);
    });
    upstream.on('message', (data) => {
      const parsed = parse(data.toString());
      for (const answer of asList(parsed)) {
        if (!isRecord(answer)) continue;
        const request = requests.get(answer.id);
        requests.delete(answer.id);
        if (!request) continue;
        if (isRecord(answer.error) && options.message !== undefined && options.methods?.includes(request.method)) {
          answer.error.message = options.message;
          rewritten++;
        } else if ('result' in answer && rewriteResult) {
          const result = rewriteResult(request.method, request.params, answer.result);
          if (result !== answer.result) {
            answer.result = result;
            rewritten++;
          }
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
    setResultRewrite: (rewrite) => {
      rewriteResult = rewrite;
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
