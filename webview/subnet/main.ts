import { subnetProtocol } from '../../src/protocol/subnetPanelProtocol';
import type { SubnetOverview } from '../../src/protocol/bittensorProtocol';
import { element } from '../common/dom';
import { connectPanel } from '../common/hostApi';
import { animationSection } from './animationSection';
import { BackfillBox } from './backfillBox';
import { blockSection } from './blockSection';
import { churnSection } from './churnSection';
import { groupsSection } from './groupsSection';
import type { TableView } from './metagraphTable';
import { renderOverview } from './overviewView';
import { RANGE_DEFAULTS } from './rangeChoice';
import { RangeControls } from './rangeControls';
import type { Section, SectionContext } from './sectionContext';
import { tracesSection } from './tracesSection';

/**
 * The Subnet dashboard page: the overview on top (the panel's state), then one section at a time (tabs): Traces,
 * Groups, Block, Churn, Animation. A section reads its data when shown and again when the range, top N, x axis or
 * colour changes. Backfill… reads past blocks into the store, with progress and Cancel.
 */
const { messenger, state } = connectPanel(subnetProtocol, {
  tab: 'traces',
  ...RANGE_DEFAULTS,
  table: { sortKey: 'uid', descending: false, filter: '' } as TableView,
});

const root = document.getElementById('root')!;
const title = element('h1', { text: 'Subnet' });
const refresh = element('button', { text: 'Refresh', className: 'secondary' });
refresh.addEventListener('click', () => {
  messenger.post({ type: 'refresh' });
  void current()?.load();
});
const status = element('span', { className: 'status', text: 'Loading…' });
status.setAttribute('role', 'status');
const overviewBox = element('section', { className: 'overview' });
overviewBox.setAttribute('aria-label', 'Overview');
const say = (text: string) => {
  status.textContent = text;
};
const backfill = new BackfillBox(messenger, say);

const controls = new RangeControls(state.ui, (ui) => {
  state.update(ui);
  ips = undefined;
  void current()?.load();
}, (ui) => {
  state.update(ui);
  void current()?.load();
});

/** hotkey → axon IP for colouring by IP, per range end; forgotten when the stored data changes. */
let ips: { readonly block: number | undefined; readonly map: Promise<ReadonlyMap<string, string | null>> } | undefined;

const context: SectionContext = {
  messenger,
  range: () => controls.range(),
  top: () => controls.top(),
  xAxis: () => controls.ui().xAxis,
  colourBy: () => controls.ui().colourBy,
  hotkeyIps: () => {
    const block = controls.range().toBlock;
    if (!ips || ips.block !== block) {
      const map = messenger.request('hotkeyIps', block === undefined ? {} : { block }).then((answer) => new Map(answer?.ips ?? []));
      ips = { block, map };
      map.catch(() => {
        ips = undefined;
      });
    }
    return ips.map;
  },
  say,
};

const sections: Section[] = [
  tracesSection(context),
  groupsSection(context),
  blockSection(context, state.ui.table, (table) => state.update({ table })),
  churnSection(context),
  animationSection(context),
];
const tabs = element('nav', { className: 'tabs' });
tabs.setAttribute('role', 'tablist');
const tabButtons = sections.map((section) => {
  const button = element('button', { text: section.label });
  button.id = `tab-${section.id}`;
  button.setAttribute('role', 'tab');
  button.addEventListener('click', () => select(section.id));
  return button;
});
tabs.append(...tabButtons);
const body = element('div', { className: 'sections' }, ...sections.map((section) => section.element));
root.append(element('header', { className: 'toolbar' }, title, refresh, backfill.toggle, status), overviewBox, backfill.element, controls.element, tabs, body);

let selected = sections.some((section) => section.id === state.ui.tab) ? state.ui.tab : sections[0].id;
let overviewShown = false;
select(selected);

function current(): Section | undefined {
  return sections.find((section) => section.id === selected);
}

function select(id: string): void {
  selected = id;
  state.update({ tab: id });
  sections.forEach((section, index) => {
    const on = section.id === id;
    section.element.hidden = !on;
    tabButtons[index].setAttribute('aria-selected', String(on));
    tabButtons[index].setAttribute('aria-pressed', String(on));
  });
  // Before the first overview the subnet may have nothing stored; the section reads once there is.
  if (overviewShown) void current()?.load();
}

messenger.onRefused((refusal) => {
  status.textContent = `Refused a message from the extension (${refusal.reason}).`;
});
messenger.onMessage((message) => {
  switch (message.type) {
    case 'loading':
      title.textContent = `Subnet ${message.netuid}`;
      status.textContent = 'Reading the stored snapshots…';
      break;
    case 'updating':
      status.textContent = 'Taking a snapshot of the head…';
      overviewBox.querySelector<HTMLButtonElement>('#update')?.setAttribute('disabled', '');
      break;
    case 'notice':
      status.textContent = message.message;
      break;
    case 'error':
      status.textContent = `Could not read subnet ${message.netuid}: ${message.message}`;
      break;
    case 'backfillProgress':
      backfill.showProgress(message.done, message.total, message.block);
      break;
    case 'backfillEnded':
      backfill.ended(message.outcome, message.message);
      break;
    case 'overview':
      title.textContent = `Subnet ${message.netuid}`;
      ips = undefined;
      if (message.overview) backfill.defaults(message.overview);
      showOverview(message.netuid, message.overview);
      status.textContent = `Read at ${new Date(message.readAt).toLocaleTimeString()}`;
      overviewShown = true;
      void current()?.load();
      break;
  }
});
messenger.ready();

function showOverview(netuid: number, overview: SubnetOverview | null): void {
  if (!overview) {
    const update = element('button', { text: 'Take a snapshot now' });
    update.id = 'update';
    update.addEventListener('click', () => messenger.post({ type: 'update' }));
    overviewBox.replaceChildren(element('p', { className: 'message', text: `No snapshot of subnet ${netuid} is stored yet.` }), update);
    return;
  }
  renderOverview(overviewBox, overview, () => messenger.post({ type: 'update' }));
}
