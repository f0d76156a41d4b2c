import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { singleLine, untrustedText, withoutControls } from '../../src/core/util/untrustedText';

/**
 * Issue 8, defects 2 and 7: what a DVM, a relay or a chain node chooses as a name must be shown, never acted on —
 * not by VS Code (command links, icons), not by a terminal (escape sequences), not by the reader's eye (bidi
 * overrides, invisible characters, forged line breaks).
 */

/** Anything a terminal or VS Code could act on, or that reorders or hides text. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;

describe('untrustedText: network text for VS Code surfaces', () => {
  it('breaks a markdown command link so that VS Code shows it instead of linking it', () => {
    const shown = untrustedText('[click](command:workbench.action.quit)');
    // VS Code's notification link syntax (src/vs/base/common/linkedText.ts): `[text](target)`, no space between.
    assert.doesNotMatch(shown, /\]\(/);
    assert.doesNotMatch(shown, /command:\S/);
    assert.equal(shown, '[click] (command: workbench.action.quit)');
  });

  it('breaks links with a title, https and file targets, autolinks, vscode: URIs and $(icon) syntax', () => {
    assert.equal(untrustedText('[a](https://x.example "t") [b](file:///etc/passwd)'), '[a] (https://x.example "t") [b] (file:///etc/passwd)');
    assert.equal(untrustedText('see <command:workbench.action.quit>'), 'see command: workbench.action.quit');
    assert.equal(untrustedText('vscode:extension/evil.ext VSCODE-INSIDERS:x'), 'vscode: extension/evil.ext VSCODE-INSIDERS: x');
    assert.equal(untrustedText('$(loading~spin) Busy'), '$ (loading~spin) Busy');
    // A line break or tab between `]` and `(` is folded first, and still broken.
    assert.equal(untrustedText('[x]\n(command:y)'), '[x] (command: y)');
  });

  it('strips escape sequences, C0/C1 controls, bidi overrides and isolates, and zero-width characters', () => {
    const hostile = 'Echo\u001b[2J\u001b]0;owned\u0007 \u202egnp.exe\u202c \u2066x\u2069\u200b\u200e\ufeff\u0007\u009b31m\u0000DVM';
    const shown = untrustedText(hostile);
    assert.doesNotMatch(shown, CONTROL);
    assert.equal(shown, 'Echo gnp.exe xDVM');
  });

  it('folds line breaks (CR, LF, NEL, U+2028/2029) and tabs into single spaces', () => {
    assert.equal(untrustedText('a\nb\r\nc\u0085d\u2028e\u2029f\tg   h'), 'a b c d e f g h');
    assert.equal(untrustedText('  \n padded \n '), 'padded');
  });

  it('keeps the joiners that shape text: ZWJ inside an emoji sequence, ZWNJ between letters', () => {
    assert.equal(untrustedText('👩\u200d💻 dev'), '👩\u200d💻 dev');
    assert.equal(untrustedText('👍🏽\u200d👍'), '👍🏽\u200d👍');
    assert.equal(untrustedText('می\u200cخواهم'), 'می\u200cخواهم');
    assert.equal(untrustedText('com\u200dmand\u200c:x'), 'command: x', 'a joiner between ASCII only hides a word');
  });

  it('bounds the length in code points, marks the cut, and never splits a surrogate pair', () => {
    const shown = untrustedText('x'.repeat(100_000));
    assert.equal(Array.from(shown).length, 200);
    assert.ok(shown.endsWith('…'));
    const emoji = untrustedText('😀'.repeat(50), 10);
    assert.equal(emoji, `${'😀'.repeat(9)}…`);
    assert.doesNotMatch(emoji, /[\ud800-\udfff](?![\udc00-\udfff])/u);
    assert.equal(untrustedText('short', 10), 'short');
  });

  it('cut in the middle, keeps what a sentence says after a long name', () => {
    const shown = untrustedText(`${'N'.repeat(2_000)} has not answered a job addressed to it for 900 s`, 120, 'middle');
    assert.equal(Array.from(shown).length, 120);
    assert.ok(shown.startsWith('NNN'));
    assert.ok(shown.endsWith('has not answered a job addressed to it for 900 s'), shown);
    assert.equal(untrustedText(`${'a'.repeat(100_000)}[x](command:y) end`, 60, 'middle').endsWith('[x] (command: y) end'), true);
  });

  it('replaces lone surrogates, caps piles of combining marks, and turns non-strings into ""', () => {
    assert.equal(untrustedText('a\ud800b'), 'a\ufffdb');
    assert.equal(Array.from(untrustedText(`Z${'\u0301'.repeat(500)}`)).length, 9);
    assert.equal(untrustedText(undefined), '');
    assert.equal(untrustedText(42), '');
    assert.equal(untrustedText('\u202e\u200b\u0007'), '', 'nothing visible left: the caller falls back to a key');
  });

  it('is idempotent: sanitising twice changes nothing more', () => {
    const once = untrustedText('[x](command:a) <command:b> $(c)\u202e d\ne');
    assert.equal(untrustedText(once), once);
  });
});

describe('withoutControls / singleLine: text for a terminal', () => {
  it('removes whole CSI and OSC sequences (colours, clear-screen, titles, hyperlinks), leaving their text', () => {
    assert.equal(singleLine('\u001b[31mred\u001b[0m \u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\ \u001b]0;title\u0007done'), 'red link done');
  });

  it('an unterminated OSC never swallows the following lines', () => {
    assert.equal(withoutControls('a\u001b]0;title\nnext line', true), 'a0;title\nnext line');
  });

  it('keeps line breaks and tabs only when asked, normalising CR LF to LF', () => {
    assert.equal(withoutControls('a\r\nb\tc\u0007', true), 'a\nb\tc');
    assert.equal(withoutControls('a\r\nb\tc\u0007'), 'a  b c');
    assert.equal(singleLine('a\r\nb\tc'), 'a b c');
  });

  it('does not touch link syntax: a terminal does not follow it, and table text stays as the user gave it', () => {
    assert.equal(singleLine('[x](command:y) $(z)'), '[x](command:y) $(z)');
  });
});
