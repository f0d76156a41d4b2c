/**
 * Where a text stops being JSON (RFC 8259), as line and column. `JSON.parse` says why it failed but names a position
 * only for some errors ("Unexpected token 'x', … is not valid JSON" has none), so after it fails this walks the text
 * once more to find the spot. Iterative, so a deeply nested file cannot overflow the stack.
 */

export interface JsonSyntaxError {
  /** 1-based, as editors count. */
  readonly line: number;
  readonly column: number;
  readonly problem: string;
}

const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const at = (offset: number, problem: string): JsonSyntaxError => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1, problem };
  };
  const containers: string[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const found = (what: string) => (i >= text.length ? `the text ends where ${what} should follow` : `expected ${what}, found ${JSON.stringify(text[i])}`);
  /** Advances past a string; on failure leaves `i` at the offending character (an unclosed string: its start). */
  const scanString = (): string | undefined => {
    const start = i;
    i++;
    for (;;) {
      if (i >= text.length) {
        i = start;
        return 'a string is not closed';
      }
      const ch = text[i];
      if (ch === '"') break;
      if (ch < ' ') return 'a control character (such as a line break) inside a string';
      if (ch === '\\') {
        const next = text[i + 1];
        if (next === 'u') {
          HEX4.lastIndex = i + 2;
          if (!HEX4.test(text)) return 'a \\u escape without four hex digits';
          i += 6;
          continue;
        }
        if (next === undefined || !ESCAPES.has(next)) return 'an unknown escape in a string';
        i += 2;
        continue;
      }
      i++;
    }
    i++;
    return undefined;
  };
  const scanToken = (pattern: RegExp): boolean => {
    pattern.lastIndex = i;
    if (!pattern.test(text)) return false;
    i = pattern.lastIndex;
    return true;
  };

  let expect: 'value' | 'key' | 'after' = 'value';
  skipSpace();
  for (;;) {
    if (expect === 'value') {
      const ch = text[i];
      if (ch === '{' || ch === '[') {
        containers.push(ch);
        i++;
        skipSpace();
        if (text[i] === (ch === '{' ? '}' : ']')) {
          containers.pop();
          i++;
          expect = 'after';
        } else {
          expect = ch === '{' ? 'key' : 'value';
        }
        continue;
      }
      if (ch === '"') {
        const problem = scanString();
        if (problem) return at(i, problem);
      } else if (!(ch !== undefined && /[-0-9]/.test(ch) ? scanToken(NUMBER) : scanToken(LITERAL))) {
        return at(i, found('a value'));
      }
      expect = 'after';
    } else if (expect === 'key') {
      if (text[i] !== '"') return at(i, found('a quoted key'));
      const problem = scanString();
      if (problem) return at(i, problem);
      skipSpace();
      if (text[i] !== ':') return at(i, found("':'"));
      i++;
      skipSpace();
      expect = 'value';
      continue;
    } else {
      skipSpace();
      const open = containers.at(-1);
      if (open === undefined) return i < text.length ? at(i, found('the end of the text')) : undefined;
      const close = open === '{' ? '}' : ']';
      if (text[i] === ',') {
        i++;
        skipSpace();
        expect = open === '{' ? 'key' : 'value';
      } else if (text[i] === close) {
        containers.pop();
        i++;
      } else {
        return at(i, found(`',' or '${close}'`));
      }
      continue;
    }
    skipSpace();
  }
}
