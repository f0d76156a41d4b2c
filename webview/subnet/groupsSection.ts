import type { GroupBy, GroupRow } from '../../src/protocol/bittensorProtocol';
import type { ThemedChart } from '../common/charts';
import { element, labelFor } from '../common/dom';
import { spanText, xOf } from './axisChoice';
import { shortKey } from './keyColours';
import { lineChart } from './lineChart';
import { errorText, type Section, type SectionContext } from './sectionContext';

/**
 * Hotkeys per coldkey or axon IP: the top N groups over the range as lines, the current groups as a table; a
 * group's button lists its hotkeys. Names (coldkey identities) are chain text: textContent only.
 */
export function groupsSection(context: SectionContext): Section {
  const by = element('select');
  by.id = 'group-by';
  by.append(Object.assign(element('option', { text: 'coldkey' }), { value: 'coldkey' }), Object.assign(element('option', { text: 'axon IP' }), { value: 'ip' }));
  const label = labelFor(by, 'Group by');
  const canvas = element('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', 'Group sizes');
  const table = element('table', { className: 'groups' });
  const members = element('div', { className: 'members' });
  let chart: ThemedChart<'line'> | undefined;

  async function showMembers(group: GroupRow): Promise<void> {
    try {
      const answer = await context.messenger.request('groupMembers', { by: by.value as GroupBy, key: group.key });
      if (!answer) {
        members.replaceChildren(element('p', { className: 'empty', text: 'That group is not in the newest snapshot.' }));
        return;
      }
      const list = element('table', { className: 'member-list' }, element('thead', {}, element('tr', {}, ...['UID', 'hotkey', 'coldkey', 'stake', 'incentive', 'permit'].map((text) => element('th', { text })))));
      const body = element('tbody');
      for (const row of answer.rows) {
        body.append(element('tr', {}, element('td', { text: String(row.uid) }), element('td', { text: row.hotkey }), element('td', { text: row.coldkey }),
          element('td', { text: row.stake.toFixed(4) }), element('td', { text: row.incentive.toFixed(4) }), element('td', { text: row.validatorPermit ? '✓' : '' })));
      }
      list.append(body);
      members.replaceChildren(element('h3', { text: `Hotkeys of ${group.name ?? group.key} at block ${answer.block.toLocaleString('en-US')} (${answer.rows.length})` }), list);
    } catch (error) {
      context.say(`Could not read the group's hotkeys: ${errorText(error)}`);
    }
  }

  const section: Section = {
    id: 'groups',
    label: 'Groups',
    element: element('section', { className: 'section' }, element('div', { className: 'toolbar' }, label, by),
      element('div', { className: 'chart-box' }, canvas), element('h3', { text: 'Current groups' }), table, members),
    async load() {
      const groupBy = by.value as GroupBy;
      try {
        const [series, groups] = await Promise.all([
          context.messenger.request('groupSeries', { by: groupBy, top: context.top(), ...context.range() }),
          context.messenger.request('groups', { by: groupBy, limit: context.top() }),
        ]);
        chart?.dispose();
        chart = undefined;
        const axis = context.xAxis();
        canvas.setAttribute('aria-label', `Hotkeys per ${groupBy === 'ip' ? 'axon IP' : 'coldkey'}, ${spanText(series?.points.map((point) => xOf(point, axis)) ?? [], axis)}`);
        if (series && series.points.length > 0) {
          chart = lineChart(canvas, series.keys.map((key, index) => ({
            label: key.name ?? shortKey(key.key),
            colourKey: key.key,
            points: series.points.map((point) => ({ x: xOf(point, axis), y: point.counts[index] })),
          })), 'hotkeys', axis);
        }
        const head = element('tr', {}, ...[groupBy === 'ip' ? 'IP' : 'coldkey', 'name', 'hotkeys', 'validators', 'stake', 'emission', ''].map((text) => element('th', { text })));
        const body = element('tbody');
        for (const group of groups?.groups ?? []) {
          const open = element('button', { text: 'Hotkeys', className: 'secondary' });
          open.addEventListener('click', () => void showMembers(group));
          body.append(element('tr', {}, element('td', { text: shortKey(group.key), title: group.key }), element('td', { className: 'identity', text: group.name ?? '' }),
            element('td', { text: String(group.hotkeys) }), element('td', { text: String(group.validators) }),
            element('td', { text: group.stake.toFixed(2) }), element('td', { text: group.emission.toFixed(4) }), element('td', {}, open)));
        }
        table.replaceChildren(element('thead', {}, head), body);
        members.replaceChildren();
      } catch (error) {
        context.say(`Could not read the groups: ${errorText(error)}`);
      }
    },
  };
  by.addEventListener('change', () => void section.load());
  return section;
}
