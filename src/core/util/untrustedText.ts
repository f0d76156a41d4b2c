/**
 * Text that came from the network (DVM and user names, about, tags, content, relay NOTICEs, chain identity and
 * subnet names, a node's error messages) made safe to show. Two dangers, two layers:
 *
 * - a terminal or a renderer acting on the text instead of showing it: ANSI/OSC escape sequences (clear-screen,
 *   window titles, hyperlinks), line breaks that forge table rows or log lines, bidi overrides and isolates that
 *   show text in another order than it is (CVE-2021-42574, "Trojan Source"), invisible characters that hide
 *   text → `withoutControls`, `singleLine` (the CLI's human-readable output uses these);
 * - VS Code turning text into something that runs: `[text](command:…)` in a notification is a link that runs the
 *   command, `$(icon)` in a quick pick or the status bar is drawn as an icon → `untrustedText`, for every VS Code
 *   surface (notifications, tree labels and descriptions, quick picks, status bar, output channel).
 *
 * The result is plain text meant to be seen, not parsed; it is never HTML-escaped (nothing here is HTML).
 */

/** Characters kept for the length of a tree label, notification or quick pick entry. */
export const DEFAULT_MAX_LENGTH = 200;
/** A notification has room for a sentence around a name: the name must not push the sentence's end out. */
export const MESSAGE_MAX_LENGTH = 400;

/**
 * Whole ANSI escape sequences: CSI (`ESC [ … final`: colours, cursor moves, clear-screen), a terminated OSC
 * (`ESC ] … BEL|ST`: window titles, hyperlinks; it never spans a line, so an unterminated one cannot swallow the
 * rest of an output), two-byte `ESC x`, and their C1 forms. What an unterminated sequence leaves is shown as text.
 */
const ESCAPE_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|(?:\u001b\]|\u009d)[^\u0007\u001b\u009c\n]*(?:\u0007|\u001b\\|\u009c)|\u001b[ -~]?/g;
/**
 * Controls (C0, DEL, C1), lone surrogates, line/paragraph separators and format characters (\p{Cf}: bidi embeddings,
 * overrides, isolates and marks, zero-width spaces, word joiner, BOM, invisible operators, tag characters).
 */
const INVISIBLE = /[\p{Cc}\p{Cs}\p{Cf}\u2028\u2029]/gu;
const LINE_BREAKS = /\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/g;
/** More combining marks on one character than any script needs ("Zalgo" text spilling over rows). */
const MARK_PILE = /(\p{M}{8})\p{M}+/gu;
const ZWJ = '\u200d';
const ZWNJ = '\u200c';

/**
 * Removes escape sequences and invisible or reordering characters. With `keepLines`, line breaks (as `\n`) and tabs
 * stay, for a whole multi-line CLI text; otherwise each becomes a space. A zero-width joiner stays
 * inside an emoji sequence (👩‍💻) and a zero-width non-joiner between letters (Persian, Indic scripts): there
 * they shape text; anywhere else they only hide it.
 */
export function withoutControls(text: string, keepLines = false): string {
  const unescaped = text.replace(ESCAPE_SEQUENCE, '');
  const normalised = keepLines ? unescaped.replace(LINE_BREAKS, '\n') : unescaped;
  return normalised.replace(INVISIBLE, (char, offset: number, whole: string) => {
    if (keepLines && (char === '\n' || char === '\t')) return char;
    if (char === ZWJ && joinsEmoji(whole, offset)) return char;
    if (char === ZWNJ && between(whole, offset, /\p{L}/u)) return char;
    if (/\p{Cs}/u.test(char)) return '\ufffd';
    // Breaks and tabs separated words: they become a space, never nothing ("a\nb" is not "ab").
    return /[\t\n\r\u000b\u000c\u0085\u2028\u2029]/.test(char) ? ' ' : '';
  }).replace(MARK_PILE, '$1');
}

/** One line of text: controls removed, breaks and tabs folded into single spaces, trimmed. */
export function singleLine(text: string): string {
  return withoutControls(text).replace(/[ \u00a0]{2,}/g, ' ').trim();
}

/**
 * Text from the network, for a VS Code surface: one line, no controls, link and icon syntax broken so that it is
 * shown and not followed, at most `maxLength` characters (code points, an ellipsis marking a cut). Anything that is
 * not a string (a missing name) becomes ''; callers fall back to a key.
 *
 * `cut: 'middle'` keeps both ends of a long text: for a sentence that quotes a name ("<name> has not answered…"),
 * where a 2,000-character name must not push out what the sentence says.
 */
export function untrustedText(value: unknown, maxLength = DEFAULT_MAX_LENGTH, cut: 'end' | 'middle' = 'end'): string {
  if (typeof value !== 'string' || value.length === 0) return '';
  // Cut far beyond the bound first, so that a 100 kB name costs no more than a short one; stripping only shortens.
  const reach = maxLength * 8;
  const near = value.length <= reach ? value : cut === 'end' ? value.slice(0, reach) : `${value.slice(0, reach / 2)} ${value.slice(-reach / 2)}`;
  return bounded(neutraliseSyntax(singleLine(near)), maxLength, cut);
}

/**
 * VS Code renders `[text](target)` as a link in notifications (command:, https:, file: targets), `<scheme:…>` as an
 * autolink in markdown, and `$(name)` as an icon in quick picks and the status bar. A space breaks each form while
 * leaving the text readable: `[click] (command: workbench.action.quit)`.
 */
function neutraliseSyntax(text: string): string {
  return text
    .replace(/\]\s*\(/g, '] (')
    .replace(/<([a-z][a-z0-9+.-]*:[^<>\s]*)>/gi, '$1')
    .replace(/\b(command|vscode(?:-insiders)?):(?=\S)/gi, '$1: ')
    .replace(/\$\(/g, '$ (');
}

function bounded(text: string, maxLength: number, cut: 'end' | 'middle'): string {
  if (text.length <= maxLength) return text;
  const points = Array.from(text);
  if (points.length <= maxLength) return text;
  const kept = Math.max(0, maxLength - 1);
  if (cut === 'end') return `${points.slice(0, kept).join('').trimEnd()}…`;
  const tail = Math.floor(kept / 2);
  return `${points.slice(0, kept - tail).join('').trimEnd()}…${points.slice(points.length - tail).join('').trimStart()}`;
}

function joinsEmoji(text: string, offset: number): boolean {
  const before = Array.from(text.slice(Math.max(0, offset - 4), offset));
  // A skin tone or variation selector may sit between the emoji and the joiner.
  const base = before.reverse().find((char) => !/[\ufe0f\u{1f3fb}-\u{1f3ff}]/u.test(char));
  const after = Array.from(text.slice(offset + 1, offset + 3))[0];
  return base !== undefined && after !== undefined && /\p{Extended_Pictographic}/u.test(base) && /\p{Extended_Pictographic}/u.test(after);
}

function between(text: string, offset: number, kind: RegExp): boolean {
  const before = Array.from(text.slice(Math.max(0, offset - 2), offset)).at(-1);
  const after = Array.from(text.slice(offset + 1, offset + 3))[0];
  return before !== undefined && after !== undefined && kind.test(before) && kind.test(after);
}
