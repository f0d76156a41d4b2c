import type { Logger } from '../util/logger';
import { singleLine } from '../util/untrustedText';
import type { FrameReports } from './guardedRelay';
import type { RelayMessageType } from './relayFrames';

/** A relay stays degraded this long after its last bad frame. */
export const DEGRADED_AFTER_BAD_FRAME_MS = 5 * 60_000;
/** Bad frames and NOTICEs logged per session before only every LOG_EVERY-th is: a flood must not flood the log. */
const LOGGED_PER_SESSION = 5;
const LOG_EVERY = 1000;
/** Characters of a NOTICE kept in a status line, and of a frame or library output in a log line. */
const NOTICE_TEXT = 120;
const SAMPLE_TEXT = 300;

/** Message types that answer what we asked: a relay sending any of them is talking NIP-01 with us. */
const ANSWERS: ReadonlySet<RelayMessageType> = new Set(['EVENT', 'EOSE', 'CLOSED', 'OK', 'COUNT']);

export interface RelayHealthOptions {
  readonly url: string;
  readonly log: Logger;
  /** The relay just became degraded (its status line changes). */
  readonly onDegraded: () => void;
  /** A bad frame was counted (the engine counts it as dropped too). */
  readonly onBadFrame: () => void;
}

/**
 * What one relay's frames say about it, beyond "the socket is open": bad frames (relayFrames.ts), NOTICEs, and
 * whether this session got any real answer. A relay that sends garbage, or only NOTICEs, is *degraded* — open but
 * not delivering — and says why, instead of looking healthy while nothing arrives (issue 8).
 */
export class RelayHealth implements FrameReports {
  badFrames = 0;
  notices = 0;
  private lastBadFrame: { readonly reason: string; readonly at: number } | undefined;
  private lastNotice: string | undefined;
  private sessionAnswered = false;
  private sessionOverdue = false;
  private sessionNotices = 0;
  private sessionBadFrames = 0;

  constructor(private readonly options: RelayHealthOptions) {}

  /** A new connection: NOTICEs and answers are judged per session, bad frames by age. */
  startSession(): void {
    this.sessionAnswered = false;
    this.sessionOverdue = false;
    this.sessionNotices = 0;
    this.sessionBadFrames = 0;
  }

  frame(type: RelayMessageType): void {
    if (ANSWERS.has(type)) this.sessionAnswered = true;
  }

  badFrame(reason: string, frame: string): void {
    const wasDegraded = this.degradedReason() !== undefined;
    this.badFrames++;
    this.sessionBadFrames++;
    this.lastBadFrame = { reason, at: Date.now() };
    if (sampled(this.sessionBadFrames)) this.options.log.log('debug', `relay ${this.options.url} sent a bad frame (${reason}) #${this.badFrames}: ${sample(frame)}`);
    this.options.onBadFrame();
    if (!wasDegraded) this.reportDegraded();
  }

  notice(text: string): void {
    const wasDegraded = this.degradedReason() !== undefined;
    this.notices++;
    this.sessionNotices++;
    this.lastNotice = sample(text, NOTICE_TEXT);
    if (sampled(this.sessionNotices)) this.options.log.log('info', `relay ${this.options.url} NOTICE: ${sample(text)}`);
    if (!wasDegraded) this.reportDegraded();
  }

  /** The relay let a request's wait run out without an answer (no EOSE in time). */
  answerOverdue(): void {
    const wasDegraded = this.degradedReason() !== undefined;
    this.sessionOverdue = true;
    if (!wasDegraded) this.reportDegraded();
  }

  libraryOutput(text: string): void {
    this.options.log.log('debug', `relay ${this.options.url}: nostr-tools: ${sample(text)}`);
  }

  /** Why an open relay is not healthy now, or undefined when it is. */
  degradedReason(now = Date.now()): string | undefined {
    if (this.lastBadFrame && now - this.lastBadFrame.at < DEGRADED_AFTER_BAD_FRAME_MS) {
      return `${this.badFrames} bad frame${this.badFrames === 1 ? '' : 's'} (last: ${this.lastBadFrame.reason})`;
    }
    // One NOTICE before the first answer is a greeting; a second, or one and then silence, is all it says.
    if (this.sessionNotices > 0 && !this.sessionAnswered && (this.sessionNotices >= 2 || this.sessionOverdue)) {
      return `answers only with NOTICE (last: "${this.lastNotice}")`;
    }
    return undefined;
  }

  /** Parts of the relay's status line. */
  detailParts(): string[] {
    const parts: string[] = [];
    if (this.badFrames > 0) parts.push(`${this.badFrames} bad frames`);
    if (this.notices > 0) parts.push(`${this.notices} notices`);
    return parts;
  }

  private reportDegraded(): void {
    const reason = this.degradedReason();
    if (reason === undefined) return;
    this.options.log.log('warn', `relay ${this.options.url} is degraded: ${reason}`);
    this.options.onDegraded();
  }
}

function sampled(count: number): boolean {
  return count <= LOGGED_PER_SESSION || count % LOG_EVERY === 0;
}

/** A relay's text (a frame, a NOTICE) or a library's, on one line and bounded. */
function sample(text: string, length = SAMPLE_TEXT): string {
  const line = singleLine(text.slice(0, length * 4));
  return line.length > length ? `${line.slice(0, length)}…` : line;
}
