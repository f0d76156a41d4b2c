import { nostrPageProtocol, type PageData, type PageSubject, type ToPage } from '../../src/protocol/nostrPagePanelProtocol';
import { element } from '../common/dom';
import { connectPanel, vsCodeApi } from '../common/hostApi';
import { PageState } from '../common/pageState';
import type { PageView } from './blocks';
import { DvmView } from './dvmView';
import { KindView } from './kindView';
import { shortId } from '../trace/traceFormat';
import type { Post } from './links';
import { UserView } from './userView';

/**
 * The DVM / kind / user page panel. The host holds the history and sends the page to show; this page draws it,
 * and turns every click on a DVM, kind, user or event into a message (open a page here, or a trace).
 */
const { messenger } = connectPanel(nostrPageProtocol, {});
const post: Post = (message) => messenger.post(message);

const root = document.getElementById('root')!;
const back = element('button', { text: '← Back', className: 'secondary', title: 'Back (Alt+Left)' });
const forward = element('button', { text: 'Forward →', className: 'secondary', title: 'Forward (Alt+Right)' });
const refresh = element('button', { text: 'Refresh', className: 'secondary' });
back.addEventListener('click', () => post({ type: 'back' }));
forward.addEventListener('click', () => post({ type: 'forward' }));
refresh.addEventListener('click', () => post({ type: 'refresh' }));
const where = element('span', { className: 'where' });
const status = element('span', { className: 'status', text: 'Loading…' });
status.setAttribute('role', 'status');
const content = element('div', { className: 'content' });
root.append(element('nav', { className: 'toolbar' }, back, forward, refresh, where, status), content);

window.addEventListener('keydown', (event) => {
  if (!event.altKey) return;
  if (event.key === 'ArrowLeft') post({ type: 'back' });
  if (event.key === 'ArrowRight') post({ type: 'forward' });
});

let shown: { key: string; view: PageView<never> | undefined } | undefined;

function keyOf(subject: PageSubject): string {
  return `${subject.type}:${subject.id}`;
}

function describe(subject: PageSubject): string {
  return subject.type === 'kind' ? `Kind ${subject.id}` : `${subject.type === 'dvm' ? 'DVM' : 'User'} ${shortId(subject.id)}`;
}

/** The view of this subject: the one on show when the subject is the same (a live update), else a new one. */
function viewFor(subject: PageSubject, data: PageData): PageView<never> | undefined {
  const key = keyOf(subject);
  if (shown?.key === key && shown.view) return shown.view;
  shown?.view?.dispose();
  const view = data.type === 'dvm' ? new DvmView(post) : data.type === 'kind' ? new KindView(post) : new UserView(post);
  shown = { key, view: view as PageView<never> };
  content.replaceChildren(view.element);
  return shown.view;
}

function leave(subject: PageSubject, text: string): void {
  if (shown?.key !== keyOf(subject)) {
    shown?.view?.dispose();
    shown = { key: keyOf(subject), view: undefined };
    content.replaceChildren(element('p', { className: 'note', text }));
  }
}

let persisted = '';

messenger.onMessage((message: ToPage) => {
  if (message.type === 'notice') {
    status.textContent = message.message;
    return;
  }
  back.disabled = !message.canBack;
  forward.disabled = !message.canForward;
  where.textContent = describe(message.subject);
  // The serializer brings back the page last shown, not the one the panel opened with.
  if (persisted !== keyOf(message.subject)) {
    persisted = keyOf(message.subject);
    new PageState(vsCodeApi(), message.subject, {});
  }
  switch (message.type) {
    case 'loading':
      status.textContent = 'Loading…';
      leave(message.subject, 'Loading…');
      return;
    case 'error':
      status.textContent = `Could not read the page: ${message.message}`;
      return;
    case 'page': {
      status.textContent = `Updated ${new Date(message.readAt).toLocaleTimeString()}`;
      const data = message.data;
      if (data.page === null) {
        shown?.view?.dispose();
        shown = undefined;
        leave(message.subject, `Nothing is known of ${describe(message.subject)}: not seen in what Swarmscope collected.`);
        return;
      }
      viewFor(message.subject, data)?.render(data.page as never);
      return;
    }
  }
});

messenger.ready();
