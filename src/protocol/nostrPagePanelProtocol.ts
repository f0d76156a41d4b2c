import type { DvmPage, KindPage, UserPage } from './nostrPagesProtocol';
import { isRecord, type PanelProtocol } from './webviewPanelProtocol';

/**
 * Messages between the Nostr page panel (src/panels/nostrPagePanel.ts) and its webview (webview/pages), inside the
 * panel envelope (webviewPanelProtocol.ts). One panel shows one page at a time (a DVM, a kind or a user) and keeps a
 * Back / Forward history of the pages visited, so that clicking through DVMDash-style links stays in one tab.
 * No vscode and no DOM here.
 */

export type PageType = 'dvm' | 'kind' | 'user';

/** What a page shows: a DVM or user by hex pubkey, a kind by its number (as decimal text, so every id is a string). */
export interface PageSubject {
  readonly type: PageType;
  readonly id: string;
}

export type PageData =
  | { readonly type: 'dvm'; readonly page: DvmPage | null }
  | { readonly type: 'kind'; readonly page: KindPage | null }
  | { readonly type: 'user'; readonly page: UserPage | null };

interface Place {
  readonly subject: PageSubject;
  readonly canBack: boolean;
  readonly canForward: boolean;
}

export type ToPage =
  | (Place & { readonly type: 'loading' })
  /** `readAt`: when the engine answered (ms since the epoch). A null page: the engine knows nothing of the subject. */
  | (Place & { readonly type: 'page'; readonly data: PageData; readonly readAt: number })
  | (Place & { readonly type: 'error'; readonly message: string })
  /** The outcome of an action (Watch), for the status line. */
  | { readonly type: 'notice'; readonly message: string };

export type FromPage =
  | { readonly type: 'open'; readonly subject: PageSubject }
  | { readonly type: 'back' }
  | { readonly type: 'forward' }
  | { readonly type: 'refresh' }
  | { readonly type: 'openTrace'; readonly requestId: string }
  | { readonly type: 'watch'; readonly pubkey: string };

const HEX64 = /^[0-9a-f]{64}$/;

export function isPubkey(value: unknown): value is string {
  return typeof value === 'string' && HEX64.test(value);
}

export function isPageSubject(value: unknown): value is PageSubject {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'dvm':
    case 'user':
      return isPubkey(value.id);
    case 'kind':
      return typeof value.id === 'string' && /^\d{1,5}$/.test(value.id) && Number(value.id) <= 65_535;
    default:
      return false;
  }
}

export function sameSubject(a: PageSubject, b: PageSubject): boolean {
  return a.type === b.type && a.id === b.id;
}

export function isFromPage(value: unknown): value is FromPage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'open':
      return isPageSubject(value.subject);
    case 'back':
    case 'forward':
    case 'refresh':
      return true;
    case 'openTrace':
      return isPubkey(value.requestId);
    case 'watch':
      return isPubkey(value.pubkey);
    default:
      return false;
  }
}

function isPlace(value: Record<string, unknown>): boolean {
  return isPageSubject(value.subject) && typeof value.canBack === 'boolean' && typeof value.canForward === 'boolean';
}

function isArray(value: unknown): boolean {
  return Array.isArray(value);
}

/**
 * The page reads these pages' fields by name and draws their lists, so the shape it relies on is checked on
 * arrival: the subject, and every list it iterates. The page renders each value with textContent (String/Number),
 * so a wrong leaf type shows as odd text, never as markup.
 */
export function isPageData(value: unknown): value is PageData {
  if (!isRecord(value)) return false;
  const page = value.page;
  if (page === null) return value.type === 'dvm' || value.type === 'kind' || value.type === 'user';
  if (!isRecord(page)) return false;
  switch (value.type) {
    case 'dvm':
      return isPubkey(page.pubkey) && isRecord(page.profile) && isArray(page.profile.announcedKinds) && isArray(page.profile.relays)
        && isRecord(page.liveness) && isRecord(page.totals) && isArray(page.kinds) && isRecord(page.problems)
        && isRecord(page.problems.unpaidInvoices) && isArray(page.problems.unpaidInvoices.recent)
        && isRecord(page.problems.paidWithoutResult) && isArray(page.problems.paidWithoutResult.recent)
        && isArray(page.problems.errorMessages) && isSeries(page.jobsOverTime) && isArray(page.recent);
    case 'kind':
      return typeof page.kind === 'number' && isRecord(page.competition) && isArray(page.dvms) && isSeries(page.overTime)
        && isArray(page.recentJobs) && isArray(page.announcedNames);
    case 'user':
      return isPubkey(page.pubkey) && isArray(page.kinds) && isArray(page.jobs) && isArray(page.dvms);
    default:
      return false;
  }
}

function isSeries(value: unknown): boolean {
  return isRecord(value) && isArray(value.points) && isRecord(value.covers) && typeof value.bucketSec === 'number';
}

export function isToPage(value: unknown): value is ToPage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'loading':
      return isPlace(value);
    case 'page':
      return isPlace(value) && typeof value.readAt === 'number' && isPageData(value.data);
    case 'error':
      return isPlace(value) && typeof value.message === 'string';
    case 'notice':
      return typeof value.message === 'string';
    default:
      return false;
  }
}

export const nostrPageProtocol: PanelProtocol<ToPage, FromPage> = {
  toWebview: isToPage,
  fromWebview: isFromPage,
  requests: {},
};
