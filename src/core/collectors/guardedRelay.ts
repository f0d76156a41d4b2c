import { AbstractRelay, type AbstractRelayConstructorOptions } from 'nostr-tools/abstract-relay';
import { routeConsole } from '../util/logger';
import { checkRelayFrame, type RelayMessageType } from './relayFrames';

/** What a GuardedRelay reports about each frame it receives. */
export interface FrameReports {
  /** A NIP-01 message of this type, handed to nostr-tools. */
  frame(type: RelayMessageType): void;
  /** A frame that was not handed on (relayFrames.ts), or that nostr-tools failed on; `frame` is the raw text. */
  badFrame(reason: string, frame: string): void;
  /** What nostr-tools printed while handling a frame, formatted, for the debug log. */
  libraryOutput(text: string): void;
}

/**
 * nostr-tools' relay with its frame handler guarded: malformed frames are counted instead of reaching nostr-tools,
 * and what nostr-tools still prints (a frame it failed on, with its stack) goes to our log, not to stderr.
 */
export class GuardedRelay extends AbstractRelay {
  constructor(url: string, options: AbstractRelayConstructorOptions, private readonly reports: FrameReports) {
    super(url, options);
  }

  override _onmessage(event: MessageEvent): void {
    const data: unknown = event.data;
    const verdict = checkRelayFrame(data);
    const text = typeof data === 'string' ? data : '';
    if (!verdict.ok) {
      this.reports.badFrame(verdict.reason, text);
      return;
    }
    let complained = false;
    routeConsole(
      (output) => {
        complained = true;
        this.reports.libraryOutput(output);
      },
      () => super._onmessage(event),
    );
    if (complained) this.reports.badFrame(`nostr-tools could not handle this ${verdict.type} message`, text);
    else this.reports.frame(verdict.type);
  }
}
