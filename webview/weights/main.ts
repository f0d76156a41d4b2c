import { NEAR_DUPLICATE_COSINE } from '../../src/core/bittensor/model';
import type { WeightsView } from '../../src/protocol/bittensorProtocol';
import { weightsProtocol } from '../../src/protocol/weightsPanelProtocol';
import { element } from '../common/dom';
import { connectPanel } from '../common/hostApi';
import { onThemeChange } from '../common/theme';
import { consensusTable, duplicatesTable } from './agreementTables';
import { BlockPicker } from './blockPicker';
import { clustersTable } from './clustersSection';
import { clusterView, reorderedCosine } from './clusterView';
import { CorrelationSection } from './correlationSection';
import { EmbeddingMap } from './embeddingMap';
import { Heatmap } from './heatmap';
import { legend } from './legend';
import { cosineGrid, cosineIntensity, cosineSummary, describeWeight, percentText, weightGrid, weightIntensity, type Grid, type WeightGrid } from './matrixGrid';
import { themePalette, type Palette } from './palette';
import { ValidatorHistorySection } from './validatorHistorySection';

/** Column widths offered for the weights heatmap, CSS px; 0 fits it to the panel. */
const COLUMN_WIDTHS = [[0, 'Fit'], [2, '2 px'], [4, '4 px'], [8, '8 px'], [16, '16 px']] as const;

const { messenger, state } = connectPanel(weightsProtocol, { columnWidth: 0 as number });
const columnWidth = COLUMN_WIDTHS.some(([value]) => value === state.ui.columnWidth) ? state.ui.columnWidth : 0;
let shown: { matrix: WeightsView; weights: WeightGrid; cosine: Grid } | undefined;
let netuid: number | undefined;

const root = document.getElementById('root')!;
const title = element('h1', { text: 'Subnet weights' });
const counts = element('span', { className: 'counts' });
const widthSelect = element('select');
widthSelect.id = 'column-width';
for (const [value, label] of COLUMN_WIDTHS) {
  const option = element('option', { text: label });
  option.value = String(value);
  option.selected = value === columnWidth;
  widthSelect.append(option);
}
const widthLabel = element('label', { text: 'Column width' });
widthLabel.htmlFor = widthSelect.id;
const refresh = element('button', { text: 'Refresh', className: 'secondary' });
refresh.addEventListener('click', () => messenger.post({ type: 'refresh' }));
const status = element('span', { className: 'status', text: 'Loading…' });
status.setAttribute('role', 'status');
const picker = new BlockPicker((block) => messenger.post({ type: 'pick', ...(block === undefined ? {} : { block }) }));
const header = element('header', { className: 'toolbar' }, title, counts, picker.element, widthLabel, widthSelect, refresh, status);

const message = element('p', { className: 'message' });
message.hidden = true;

// One tooltip and one live region serve both heatmaps (only one cell is read at a time).
const tooltip = element('div', { className: 'cell-tooltip' });
tooltip.hidden = true;
tooltip.setAttribute('aria-hidden', 'true');
const live = element('div', { className: 'visually-hidden' });
live.setAttribute('aria-live', 'polite');

const weightsMap = new Heatmap({ maxCell: 16, maxHeight: 520, square: false }, tooltip, live);
weightsMap.setColumnWidth(columnWidth);
const weightsLegend = element('div', { className: 'legend-box' });
const weightsSection = element('section', { className: 'weights' },
  element('h2', { text: 'Weights matrix' }),
  element('p', { className: 'note', text: 'Rows: UIDs that set weights, by stake. Columns: every UID given weight. Hover a cell, or focus the map and use the arrow keys.' }),
  weightsLegend, weightsMap.element);

const cosineMap = new Heatmap({ maxCell: 14, maxHeight: 420, square: true }, tooltip, live);
const cosineLegend = element('div', { className: 'legend-box' });
const consensusBox = element('div');
const duplicatesBox = element('div');
const agreementSection = element('section', { className: 'agreement' },
  element('h2', { text: 'Validator agreement' }),
  element('p', { className: 'note', text: 'Cosine similarity between the rows\' weights: 1 means the same weights.' }),
  cosineLegend, cosineMap.element,
  element('h3', { text: 'Agreement with the stake-weighted consensus (outliers first)' }), consensusBox,
  element('h3', { text: 'Possible weight copiers' }), duplicatesBox);

const clustersMap = new Heatmap({ maxCell: 14, maxHeight: 420, square: true }, tooltip, live);
const clustersBox = element('div');
const clustersSection = element('section', { className: 'clusters' },
  element('h2', { text: 'Clusters of validators' }),
  element('p', { className: 'note', text: 'Validators whose weights agree, grouped by average-linkage clustering of their cosines; the heatmap below has its rows and columns in cluster order, so each cluster is a block on the diagonal.' }),
  clustersBox, clustersMap.element);

const embeddingMap = new EmbeddingMap();
const embeddingSection = element('section', { className: 'map' },
  element('h2', { text: 'Map of validators' }),
  element('p', { className: 'note', text: 'Each dot a validator, placed by classical MDS of the cosines between weight rows (the PCA of the normalised rows), coloured by cluster.' }),
  embeddingMap.element);

const historySection = new ValidatorHistorySection((hotkey, top, maxPoints, timeoutMs) => messenger.request('validatorHistory', { hotkey, top, maxPoints }, timeoutMs));
const correlationSection = new CorrelationSection((hotkeys) => messenger.request('stakeCorrelation', { hotkeys }));

root.append(header, message, weightsSection, agreementSection, clustersSection, embeddingSection, historySection.element, correlationSection.element, tooltip, live);
showSections(false);

let weightsPalette: Palette = themePalette('--vscode-charts-blue', '#3794ff');
let cosinePalette: Palette = themePalette('--vscode-charts-orange', '#d18616');

widthSelect.addEventListener('change', () => {
  const width = Number(widthSelect.value);
  state.update({ columnWidth: width });
  weightsMap.setColumnWidth(width);
});

messenger.onRefused((refusal) => refuse(refusal.messageType));
messenger.onMessage((received) => {
  switch (received.type) {
    case 'loading':
      netuid = received.netuid;
      setBusy(true);
      picker.setShown(received.block);
      if (!shown) title.textContent = `Subnet ${received.netuid} weights`;
      status.textContent = `Reading the weights of subnet ${received.netuid} ${atBlock(received.block)} from the chain…`;
      break;
    case 'error':
      setBusy(false);
      status.textContent = `Could not read the weights of subnet ${received.netuid} ${atBlock(received.block)}: ${received.message}`;
      if (!shown) showMessage(`The weights of subnet ${received.netuid} ${atBlock(received.block)} could not be read: ${received.message}`);
      // The stored blocks are still there to pick from (the head may be what failed).
      if (!shown) loadStoredBlocks();
      break;
    case 'matrix':
      setBusy(false);
      render(received.matrix, received.readAt);
      break;
  }
});

function atBlock(block: number | undefined): string {
  return block === undefined ? 'at the head' : `at block ${block.toLocaleString()}`;
}

/** The stored snapshot blocks for the picker; asked again after each read (a snapshot may have been stored since). */
function loadStoredBlocks(): void {
  messenger.request('blocks', {})
    .then((blocks) => picker.setStored(blocks, shown?.matrix.block))
    .catch((error: unknown) => { status.textContent = `Could not list the stored blocks: ${error instanceof Error ? error.message : String(error)}`; });
}

function render(matrix: WeightsView, readAt: number): void {
  netuid = matrix.netuid;
  title.textContent = `Subnet ${matrix.netuid} weights at block ${matrix.block.toLocaleString()}`;
  let weights: WeightGrid;
  try {
    weights = weightGrid(matrix);
  } catch (error) {
    status.textContent = `Could not draw the matrix: ${error instanceof Error ? error.message : String(error)}`;
    return;
  }
  shown = { matrix, weights, cosine: cosineGrid(matrix) };
  counts.textContent = `${count(matrix.rows.length, 'row')} × ${count(matrix.targets.length, 'target')} · ${count(weights.set, 'weight')} set`;
  const dropped = weights.unplaced > 0 ? ` · ${weights.unplaced} weights named a UID outside the columns and were not drawn` : '';
  status.textContent = `Read from the chain at ${new Date(readAt).toLocaleTimeString()}${dropped}`;
  if (matrix.rows.length === 0) {
    showMessage(`No UID has set weights on subnet ${matrix.netuid} at block ${matrix.block.toLocaleString()}.`);
    showSections(false);
    return;
  }
  message.hidden = true;
  showSections(true);
  drawAll();
  consensusBox.replaceChildren(consensusTable(matrix));
  duplicatesBox.replaceChildren(duplicatesTable(matrix, NEAR_DUPLICATE_COSINE));
  clustersBox.replaceChildren(clustersTable(matrix));
  historySection.setMatrix(matrix);
  correlationSection.setMatrix(matrix);
  loadStoredBlocks();
}

/** The heatmaps and their legends; called for a new matrix and on a theme change. */
function drawAll(): void {
  if (!shown || shown.matrix.rows.length === 0) return;
  const { matrix, weights, cosine } = shown;
  const { rows, targets } = matrix;
  weightsMap.show({
    grid: weights,
    intensity: (value) => weightIntensity(value, weights.cap),
    rowLabel: (row) => `UID ${rows[row].uid}`,
    colLabel: (col) => String(targets[col]),
    describe: (row, col, value) => describeWeight(rows[row], targets[col], value),
  }, weightsPalette, weightsSummary(matrix, weights));
  weightsLegend.replaceChildren(legend('Weight (square-root scale)', [
    { at: 0, label: 'unset' },
    { at: 0.5, label: percentText(weights.cap / 4) },
    { at: 1, label: `≥ ${percentText(weights.cap)}` },
  ], weightsPalette));

  const uids = matrix.agreement.uids;
  cosineMap.show({
    grid: cosine,
    intensity: cosineIntensity,
    rowLabel: (row) => `UID ${uids[row]}`,
    colLabel: (col) => String(uids[col]),
    describe: (row, col, value) => `UID ${uids[row]} ↔ UID ${uids[col]}: cosine ${value.toFixed(4)}`,
  }, cosinePalette, cosineAria(cosine, uids));
  cosineLegend.replaceChildren(legend('Cosine similarity', [{ at: 0, label: '0' }, { at: 0.5, label: '0.5' }, { at: 1, label: '1' }], cosinePalette));

  const view = clusterView(matrix);
  const ordered = view.order.map((row) => uids[row]);
  clustersMap.show({
    grid: reorderedCosine(matrix, view.order),
    intensity: cosineIntensity,
    rowLabel: (row) => `UID ${ordered[row]} (cluster ${view.clusterOfRow[view.order[row]] + 1})`,
    colLabel: (col) => String(ordered[col]),
    describe: (row, col, value) => `UID ${ordered[row]} (cluster ${view.clusterOfRow[view.order[row]] + 1}) ↔ UID ${ordered[col]} (cluster ${view.clusterOfRow[view.order[col]] + 1}): cosine ${value.toFixed(4)}`,
  }, cosinePalette, `Cosine similarity in cluster order: ${view.sizes.length} clusters of ${uids.length} validators. Use the arrow keys to read cells.`);
  embeddingMap.show(matrix, view);
}

function weightsSummary(matrix: WeightsView, weights: WeightGrid): string {
  const largest = weights.maxAt
    ? ` Largest weight ${percentText(weights.max)}: UID ${matrix.rows[weights.maxAt.row].uid} to UID ${matrix.targets[weights.maxAt.col]}.`
    : '';
  return `Heatmap of the weights on subnet ${matrix.netuid} at block ${matrix.block}: ${count(matrix.rows.length, 'row')} (UIDs that set weights, by stake) ` +
    `by ${count(matrix.targets.length, 'target UID')}; ${count(weights.set, 'weight')} set.${largest} Use the arrow keys to read cells.`;
}

function cosineAria(grid: Grid, uids: readonly number[]): string {
  const summary = cosineSummary(grid, uids);
  const detail = summary
    ? ` Median pairwise cosine ${summary.median.toFixed(3)}; lowest ${summary.lowest.cosine.toFixed(3)} (UID ${summary.lowest.a} and UID ${summary.lowest.b}).`
    : '';
  return `Cosine similarity between the weights of ${uids.length} UIDs.${detail} Use the arrow keys to read cells.`;
}

/** A message of ours that fails the guard is refused, counted and said, never drawn half way. */
let refused = 0;
function refuse(type: string | undefined): void {
  if (type !== 'loading' && type !== 'matrix' && type !== 'error') return;
  refused++;
  setBusy(false);
  status.textContent = `Refused ${count(refused, 'malformed message')} from the extension (last: ${String(type)}).`;
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString()} ${noun}${n === 1 ? '' : 's'}`;
}

function showMessage(text: string): void {
  message.textContent = text;
  message.hidden = false;
}

function showSections(visible: boolean): void {
  for (const section of [weightsSection, agreementSection, clustersSection, embeddingSection, historySection.element, correlationSection.element]) section.hidden = !visible;
}

function setBusy(busy: boolean): void {
  refresh.disabled = busy;
  root.setAttribute('aria-busy', String(busy));
  if (busy && !shown) {
    showMessage(netuid === undefined ? 'Loading…' : `Reading the weights of subnet ${netuid} from the chain; this can take a few seconds.`);
  }
}

// Canvases do not follow CSS: rebuild the palettes and repaint with the new theme's colours.
onThemeChange(() => {
  weightsPalette = themePalette('--vscode-charts-blue', '#3794ff');
  cosinePalette = themePalette('--vscode-charts-orange', '#d18616');
  drawAll();
});

messenger.ready();
