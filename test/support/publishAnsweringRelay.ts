import { startLoopbackWsServer } from './loopbackWsServer';

/**
 * A relay on loopback whose answer to a published EVENT the test decides, for what the real relay never does on
 * cue: `OK false` with its reason (a paid relay, a spam filter), or no `OK` at all (an overloaded relay). REQs are
 * answered with an EOSE and nothing else.
 */

/** `[accepted, message]` is sent as `["OK", id, accepted, message]`; `undefined`: no answer, ever. */
export type PublishAnswer = (event: { id: string; kind: number }) => readonly [boolean, string] | undefined;

export interface PublishAnsweringRelay {
  readonly url: string;
  /** Ids of the EVENTs received, in order. */
  readonly received: readonly string[];
  stop(): Promise<void>;
}

export async function startPublishAnsweringRelay(answer: PublishAnswer): Promise<PublishAnsweringRelay> {
  const received: string[] = [];
  const server = await startLoopbackWsServer({
    onMessage: (socket, message) => {
      if (!Array.isArray(message)) return;
      if (message[0] === 'REQ' && typeof message[1] === 'string') socket.send(JSON.stringify(['EOSE', message[1]]));
      if (message[0] === 'EVENT' && typeof message[1]?.id === 'string') {
        received.push(message[1].id);
        const verdict = answer(message[1]);
        if (verdict) socket.send(JSON.stringify(['OK', message[1].id, verdict[0], verdict[1]]));
      }
    },
  });
  return { url: server.url, received, stop: server.stop };
}
