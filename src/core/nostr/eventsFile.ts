import * as fs from 'node:fs';
import { findJsonSyntaxError, type JsonSyntaxError } from '../util/jsonSyntaxError';

/** A file that cannot be read as events at all (not JSON, not an array): the user's mistake, said as such. */
export class EventsFileError extends Error {}

/** Lines of a JSON lines file that are not JSON are each named on stderr, up to this many. */
const NAMED_BAD_LINES = 5;

/**
 * Reads a file of events for `swarmscope ingest` and the editor's Import Events: a JSON array of events, or JSON lines
 * (one event per line).
 *
 * A JSON array that is not valid JSON cannot be read at all: the error names the file, line and column. In JSON
 * lines a line that is not JSON is passed on as text, so that the engine counts it as `malformed` like any other
 * bad event instead of the import stopping; `warn` names the first few by file, line and column.
 */
export function readEventsFile(file: string, warn: (message: string) => void): unknown[] {
  // A byte-order mark is not JSON; editors on Windows write one.
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  if (text.trimStart().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      const fault = locate(text, error);
      throw new EventsFileError(`${file}:${fault.line}:${fault.column}: ${fault.problem} — the file is not valid JSON; nothing was imported`);
    }
    if (!Array.isArray(parsed)) throw new EventsFileError(`${file} is not a JSON array of events`);
    return parsed;
  }
  const events: unknown[] = [];
  let badLines = 0;
  text.split('\n').forEach((line, index) => {
    if (line.trim().length === 0) return;
    try {
      events.push(JSON.parse(line) as unknown);
    } catch (error) {
      events.push(line);
      badLines++;
      if (badLines <= NAMED_BAD_LINES) {
        const fault = locate(line, error);
        warn(`${file}:${index + 1}:${fault.column}: ${fault.problem} — this line is not JSON; counted as malformed`);
      }
    }
  });
  if (badLines > NAMED_BAD_LINES) warn(`${file}: ${badLines - NAMED_BAD_LINES} more lines are not JSON; counted as malformed`);
  return events;
}

/** Where JSON.parse gave up; its own message (at 1:1) in the unlikely case the walk finds no fault. */
function locate(text: string, parseError: unknown): JsonSyntaxError {
  return findJsonSyntaxError(text) ?? { line: 1, column: 1, problem: parseError instanceof Error ? parseError.message : String(parseError) };
}
