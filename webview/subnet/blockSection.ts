import type { MetagraphDiff } from '../../src/protocol/bittensorProtocol';
import { element, labelFor } from '../common/dom';
import { diffChanges } from './diffText';
import type { TableView } from './metagraphTable';
import { errorText, type Section, type SectionContext } from './sectionContext';
import { MetagraphTableView } from './tableView';

/**
 * Block introspection: the full metagraph stored at a block (the newest at or before the block typed; the newest
 * without one) in a sortable, filterable table; its difference from the snapshot before; export as CSV / JSON.
 */
export function blockSection(context: SectionContext, view: TableView, saveView: (view: TableView) => void): Section {
  const blockInput = element('input');
  blockInput.type = 'number';
  blockInput.min = '0';
  blockInput.id = 'block-input';
  blockInput.placeholder = 'newest';
  const label = labelFor(blockInput, 'Block');
  const show = element('button', { text: 'Show', className: 'secondary' });
  const exportCsv = element('button', { text: 'Export CSV', className: 'secondary' });
  const exportJson = element('button', { text: 'Export JSON', className: 'secondary' });
  exportCsv.disabled = exportJson.disabled = true;
  const heading = element('h3', { className: 'block-heading' });
  const table = new MetagraphTableView(view, saveView);
  const diffBox = element('div', { className: 'diff' });
  let shownBlock: number | undefined;

  exportCsv.addEventListener('click', () => shownBlock !== undefined && context.messenger.post({ type: 'export', block: shownBlock, format: 'csv' }));
  exportJson.addEventListener('click', () => shownBlock !== undefined && context.messenger.post({ type: 'export', block: shownBlock, format: 'json' }));

  const section: Section = {
    id: 'block',
    label: 'Block',
    element: element('section', { className: 'section' },
      element('div', { className: 'toolbar' }, label, blockInput, show, exportCsv, exportJson), heading, table.element,
      element('h3', { text: 'Difference from the previous snapshot' }), diffBox),
    async load() {
      const typed = blockInput.value.trim();
      const params = /^\d+$/.test(typed) ? { block: Number(typed) } : {};
      try {
        const [snapshot, diff] = await Promise.all([context.messenger.request('metagraph', params), context.messenger.request('metagraphDiff', params)]);
        shownBlock = snapshot?.block;
        exportCsv.disabled = exportJson.disabled = !snapshot;
        heading.textContent = snapshot
          ? `Metagraph at block ${snapshot.block.toLocaleString('en-US')}: ${snapshot.neurons.length} UIDs, ${snapshot.validators} validators`
          : 'No snapshot stored at or before that block.';
        table.show(snapshot?.neurons ?? []);
        renderDiff(diffBox, diff);
      } catch (error) {
        context.say(`Could not read the metagraph: ${errorText(error)}`);
      }
    },
  };
  show.addEventListener('click', () => void section.load());
  blockInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') void section.load();
  });
  return section;
}

function renderDiff(target: HTMLElement, diff: MetagraphDiff | null): void {
  if (!diff || diff.previousBlock === null) {
    target.replaceChildren(element('p', { className: 'empty', text: 'No complete snapshot before this one to compare with.' }));
    return;
  }
  const caption = element('p', { className: 'note', text: `Against block ${diff.previousBlock.toLocaleString('en-US')}: ${diff.rows.length} UIDs differ.` });
  const body = element('tbody');
  for (const row of diff.rows) {
    body.append(element('tr', {}, element('td', { text: String(row.uid) }), element('td', { text: row.kind }),
      element('td', { text: row.previousHotkey ?? '–' }), element('td', { text: row.hotkey ?? '–' }), element('td', { text: diffChanges(row) })));
  }
  const table = element('table', { className: 'diff-table' },
    element('thead', {}, element('tr', {}, ...['UID', 'what', 'hotkey before', 'hotkey now', 'changes'].map((text) => element('th', { text })))), body);
  target.replaceChildren(caption, element('div', { className: 'table-scroll' }, table));
}
