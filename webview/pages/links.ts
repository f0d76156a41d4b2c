import type { FromPage } from '../../src/protocol/nostrPagePanelProtocol';
import { element } from '../common/dom';
import { shortId } from '../trace/traceFormat';
import { shown } from './format';

/** Posts a page message (set once by main.ts). */
export type Post = (message: FromPage) => void;

/**
 * Everything a page names is a link (DVMDash's rule): a DVM, kind or user opens its page in this panel, an event or
 * job opens its trace. Links are buttons styled as links, so Tab and Enter reach them; their text is textContent.
 */
export function linkButton(text: string, title: string, onClick: () => void): HTMLButtonElement {
  const button = element('button', { className: 'link', text, title });
  button.type = 'button';
  button.addEventListener('click', onClick);
  return button;
}

export function dvmLink(post: Post, pubkey: string, name?: string): HTMLButtonElement {
  return linkButton(shown(name) || shortId(pubkey), `DVM ${pubkey}`, () => post({ type: 'open', subject: { type: 'dvm', id: pubkey } }));
}

export function kindLink(post: Post, kind: number, name?: string): HTMLButtonElement {
  const label = kind < 0 ? 'unknown kind' : `${kind}${name ? ` ${shown(name, 40)}` : ''}`;
  const button = linkButton(label, `Kind ${kind}`, () => post({ type: 'open', subject: { type: 'kind', id: String(kind) } }));
  button.disabled = kind < 0;
  return button;
}

export function userLink(post: Post, pubkey: string): HTMLButtonElement {
  return linkButton(shortId(pubkey), `User ${pubkey}`, () => post({ type: 'open', subject: { type: 'user', id: pubkey } }));
}

export function traceLink(post: Post, requestId: string, text = shortId(requestId)): HTMLButtonElement {
  return linkButton(text, `Open the trace of job ${requestId}`, () => post({ type: 'openTrace', requestId }));
}
