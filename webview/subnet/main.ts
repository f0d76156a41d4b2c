import { MAX_TOP, subnetProtocol, type RangeParams } from '../../src/protocol/subnetPanelProtocol';
import type { SubnetOverview } from '../../src/protocol/bittensorProtocol';
import { element } from '../common/dom';
import { connectPanel } from '../common/hostApi';
import { animationSection } from './animationSection';
import { blockSection } from './blockSection';
import { churnSection } from './churnSection';
import { groupsSection } from './groupsSection';
import type { TableView } from './metagraphTable';
import { renderOverview } from './overviewView';
import type { Section, SectionContext } from './sectionContext';
import { tracesSection } from './tracesSection';

/**
 * The Subnet dashboard page: the overview on top (the panel's state), then one section at a time (tabs): Traces,
 * Groups, Block, Churn, Animation. A section reads its data when shown and again when the range or top N changes.
 */
const { messenger, state } = connectPanel(subnetProtocol, {
  tab: 'traces',
  top: 10,
  fromBlock: null as number | null,
  toBlock: null as number | null,
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

const fromInput = blockInput('range-from', 'from block', state.ui.fromBlock);
const toInput = blockInput('range-to', 'to block', state.ui.toBlock);
const topInput = element('input');
topInput.type = 'number';
topInput.id = 'top-n';
topInput.min = '1';
topInput.max = String(MAX_TOP);
topInput.value = String(clampTop(state.ui.top));
const apply = element('button', { text: 'Apply', className: 'secondary' });
const controls = element('div', { className: 'toolbar controls' },
  labelFor(fromInput, 'From block'), fromInput, labelFor(toInput, 'to'), toInput, labelFor(topInput, 'Top N'), topInput, apply);

const context: SectionContext = {
  messenger,
  range: () => {
    const range: { fromBlock?: number; toBlock?: number } = {};
    const from = readBlock(fromInput);
    const to = readBlock(toInput);
    if (from !== null) range.fromBlock = from;
    if (to !== null) range.toBlock = to;
    return range satisfies RangeParams;
  },
  top: () => clampTop(Number(topInput.value)),
  say: (text) => {
    status.textContent = text;
  },
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
root.append(element('header', { className: 'toolbar' }, title, refresh, status), overviewBox, controls, tabs, body);

apply.addEventListener('click', () => {
  state.update({ top: context.top(), fromBlock: readBlock(fromInput), toBlock: readBlock(toInput) });
  void current()?.load();
});

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
    case 'overview':
      title.textContent = `Subnet ${message.netuid}`;
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

function blockInput(id: string, placeholder: string, value: number | null): HTMLInputElement {
  const input = element('input');
  input.type = 'number';
  input.min = '0';
  input.id = id;
  input.placeholder = placeholder;
  if (value !== null) input.value = String(value);
  return input;
}

function labelFor(input: HTMLInputElement, text: string): HTMLLabelElement {
  const label = element('label', { text });
  label.htmlFor = input.id;
  return label;
}

function readBlock(input: HTMLInputElement): number | null {
  return /^\d+$/.test(input.value.trim()) ? Number(input.value.trim()) : null;
}

function clampTop(value: number): number {
  return Number.isInteger(value) ? Math.min(MAX_TOP, Math.max(1, value)) : 10;
}
