import type { Socket } from 'node:net';

/**
 * The engine socket's framing: one JSON message per line. JSON.stringify never emits a raw newline (it escapes them
 * in strings), so a newline always ends a frame. A peer that sends more than MAX_FRAME_BYTES without ending a frame
 * is cut off rather than buffered without bound.
 */

/** Large enough for a CLI ingest chunk of 5,000 events or a full weights matrix; small enough to bound memory. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

const NEWLINE = 0x0a;

export type Frame = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

export class FrameTooLargeError extends Error {}

/** Collects socket chunks and yields whole frames; throws FrameTooLargeError past the limit. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly maxBytes = MAX_FRAME_BYTES) {}

  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end >= 0; end = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, end);
      this.ensureRoom(piece.length);
      const line = this.chunks.length === 0 ? piece : Buffer.concat([...this.chunks, piece]);
      this.chunks = [];
      this.size = 0;
      frames.push(parseFrame(line));
      start = end + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.ensureRoom(rest.length);
      this.chunks.push(rest);
      this.size += rest.length;
    }
    return frames;
  }

  private ensureRoom(bytes: number): void {
    if (this.size + bytes > this.maxBytes) {
      throw new FrameTooLargeError(`a frame passed ${this.maxBytes} bytes without ending`);
    }
  }
}

/**
 * Reads `socket` frame by frame, both ends of the engine's socket alike: each whole frame goes to `onFrame`; a stream
 * that cannot be framed (a frame past the limit) goes to `onUnframable` once, which decides what becomes of the socket.
 */
export function readFrames(socket: Socket, onFrame: (frame: Frame) => void, onUnframable: (error: unknown) => void): void {
  const reader = new FrameReader();
  socket.on('data', (chunk: Buffer) => {
    let frames: Frame[];
    try {
      frames = reader.push(chunk);
    } catch (error) {
      onUnframable(error);
      return;
    }
    for (const frame of frames) onFrame(frame);
  });
}

function parseFrame(line: Buffer): Frame {
  try {
    return { ok: true, value: JSON.parse(line.toString('utf8')) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** One message as a frame; throws FrameTooLargeError if the peer would refuse it. */
export function encodeFrame(message: unknown): string {
  const text = `${JSON.stringify(message)}\n`;
  // Length in UTF-16 units is at most the UTF-8 length, so the exact count is needed only near the limit.
  if (text.length * 3 > MAX_FRAME_BYTES && Buffer.byteLength(text) > MAX_FRAME_BYTES) {
    throw new FrameTooLargeError(`the message is larger than ${MAX_FRAME_BYTES} bytes`);
  }
  return text;
}

/** Writes one message as a frame; false if the socket is already gone. */
export function writeFrame(socket: Socket, message: unknown): boolean {
  if (socket.destroyed || !socket.writable) return false;
  socket.write(encodeFrame(message));
  return true;
}
