import * as vscode from 'vscode';
import type { EngineRequester } from './engineRequester';

export const EVENT_SCHEME = 'swarmscope';

/**
 * Read-only JSON documents for events and job traces: `swarmscope:/event/<id>.json`, `swarmscope:/trace/<id>.json`.
 * A content provider gives an editor tab the user can search and copy from but never save over.
 */
export class EventDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly engine: EngineRequester) {}

  static eventUri(id: string): vscode.Uri {
    return vscode.Uri.from({ scheme: EVENT_SCHEME, path: `/event/${id}.json` });
  }

  static traceUri(id: string): vscode.Uri {
    return vscode.Uri.from({ scheme: EVENT_SCHEME, path: `/trace/${id}.json` });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const match = /^\/(event|trace)\/(.+)\.json$/.exec(uri.path);
    if (!match) return `// not a Swarmscope document: ${uri.toString()}`;
    const [, type, id] = match;
    const value = type === 'event'
      ? await this.engine.request('nostr.event', { id })
      : await this.engine.request('nostr.trace', { id });
    if (!value) return JSON.stringify({ error: `no ${type} ${id} in the database yet` }, null, 2);
    return JSON.stringify(value, null, 2);
  }
}
