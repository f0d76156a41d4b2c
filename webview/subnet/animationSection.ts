import type { ScatterDataPoint } from 'chart.js';
import type { AnimationFrames, AnimationRole } from '../../src/protocol/bittensorProtocol';
import { MAX_FRAMES_PAGE } from '../../src/protocol/subnetPanelProtocol';
import { themedChart, type ThemedChart } from '../common/charts';
import { element, labelFor } from '../common/dom';
import { dateTimeText } from './axisChoice';
import { colourCount, colourKeyOf } from './colourBy';
import { ColouredDots } from './colouredDots';
import { FramePlayer, framePoints } from './framePlayer';
import { keyColour } from './keyColours';
import './lineChart'; // registers the scatter controller and scales
import { errorText, type Section, type SectionContext } from './sectionContext';

/** 20 frames per second while playing (issue 13's bar for a 64-frame animation). */
const FRAME_MS = 50;
/** Frames loaded at most (pages of MAX_FRAMES_PAGE); a longer range asks to be narrowed. */
const MAX_FRAMES = 512;

/**
 * A scatter per snapshot: stake against incentive (miners) or dividends (validators), one dot per UID coloured by its
 * coldkey, hotkey or axon IP (Colour by); play, pause, step and a slider.
 */
export function animationSection(context: SectionContext): Section {
  const role = element('select');
  role.id = 'animation-role';
  role.append(Object.assign(element('option', { text: 'miners' }), { value: 'miners' }), Object.assign(element('option', { text: 'validators' }), { value: 'validators' }));
  const roleLabel = labelFor(role, 'Show');
  const back = element('button', { text: '◀ Step', className: 'secondary' });
  const play = element('button', { text: 'Play' });
  play.id = 'animation-play';
  const forward = element('button', { text: 'Step ▶', className: 'secondary' });
  const slider = element('input');
  slider.type = 'range';
  slider.min = '0';
  slider.id = 'animation-slider';
  slider.setAttribute('aria-label', 'Frame');
  const position = element('span', { className: 'count' });
  position.id = 'animation-position';
  position.setAttribute('aria-live', 'polite');
  const canvas = element('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', 'Animation frame');
  let frames: AnimationFrames | undefined;
  let chart: ThemedChart<'scatter'> | undefined;
  let light = false;
  let ips: ReadonlyMap<string, string | null> | undefined;
  const player = new FramePlayer(0);
  const dots = new ColouredDots(3);
  let timer: ReturnType<typeof setInterval> | undefined;

  function yField(): 'incentive' | 'dividends' {
    return role.value === 'validators' ? 'dividends' : 'incentive';
  }

  function draw(): void {
    const frame = frames?.frames[player.index];
    slider.value = String(player.index);
    position.textContent = frame
      ? `block ${frame.block.toLocaleString('en-US')} · frame ${player.index + 1} of ${player.total} · ${dateTimeText(frame.time * 1000)}`
      : 'no complete snapshot in this range';
    if (!chart || !frame || !frames) return;
    const points = framePoints(frame, yField());
    const dataset = chart.chart.data.datasets[0];
    dataset.data = points.map((p) => ({ x: p.x, y: p.y })) as ScatterDataPoint[];
    const { hotkeys, coldkeys } = frames;
    const by = context.colourBy();
    const keys = points.map((p) => colourKeyOf(by, { hotkey: hotkeys[p.hotkey] ?? '', coldkey: coldkeys[p.coldkey] ?? '' }, ips));
    dots.show(points, keys.map((key) => keyColour(key, light)));
    canvas.setAttribute('aria-label', `Animation frame: ${points.length} UIDs coloured by ${by} (${colourCount(keys)} colours)`);
    chart.chart.update('none');
  }

  function stop(): void {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    play.textContent = 'Play';
  }

  play.addEventListener('click', () => {
    if (timer !== undefined) return stop();
    if (player.total < 2) return;
    play.textContent = 'Pause';
    timer = setInterval(() => {
      player.tick();
      draw();
    }, FRAME_MS);
  });
  back.addEventListener('click', () => {
    stop();
    player.step(-1);
    draw();
  });
  forward.addEventListener('click', () => {
    stop();
    player.step(1);
    draw();
  });
  slider.addEventListener('input', () => {
    stop();
    player.seek(Number(slider.value));
    draw();
  });

  const section: Section = {
    id: 'animation',
    label: 'Animation',
    element: element('section', { className: 'section' },
      element('div', { className: 'toolbar' }, roleLabel, role, back, play, forward, slider, position),
      element('p', { className: 'note', text: 'One dot per UID, coloured by coldkey, hotkey or axon IP (Colour by); x: stake, y: incentive (miners) or dividends (validators). One frame per stored complete snapshot.' }),
      element('div', { className: 'chart-box' }, canvas)),
    async load() {
      stop();
      try {
        const wanted = role.value as AnimationRole;
        ips = context.colourBy() === 'ip' ? await context.hotkeyIps() : undefined;
        let loaded: AnimationFrames | undefined;
        do {
          const page = await context.messenger.request('frames', { role: wanted, offset: loaded?.frames.length ?? 0, limit: MAX_FRAMES_PAGE, ...context.range() });
          // Key lists are per page: re-index each page's frames into the first page's lists.
          loaded = loaded ? mergePage(loaded, page) : page;
          if (page.frames.length === 0) break;
        } while (loaded.frames.length < Math.min(loaded.total, MAX_FRAMES));
        frames = loaded;
        player.reset(frames.frames.length);
        slider.max = String(Math.max(0, frames.frames.length - 1));
        if (frames.total > frames.frames.length) context.say(`The animation shows the first ${frames.frames.length} of ${frames.total} snapshots: narrow the block range for the rest.`);
        chart ??= themedChart<'scatter'>(canvas, {
          type: 'scatter',
          data: { datasets: [{ label: 'UIDs', data: [], pointRadius: 0, pointHoverRadius: 0 }] },
          plugins: [dots.plugin()],
          options: {
            animation: false, responsive: true, maintainAspectRatio: false, parsing: false,
            scales: { x: { type: 'linear', title: { display: true, text: 'stake' } }, y: { type: 'linear', min: 0, title: { display: true, text: 'score' } } },
            plugins: { legend: { display: false } },
          },
        }, (_chart, colors) => {
          light = colors.kind === 'light' || colors.kind === 'high-contrast-light';
        });
        draw();
      } catch (error) {
        context.say(`Could not read the animation frames: ${errorText(error)}`);
      }
    },
  };
  role.addEventListener('change', () => void section.load());
  return section;
}

/** Appends a page whose key indexes point into its own key lists, re-indexed into `into`'s (grown as needed). */
function mergePage(into: AnimationFrames, page: AnimationFrames): AnimationFrames {
  const hotkeys = [...into.hotkeys];
  const coldkeys = [...into.coldkeys];
  const indexer = (list: string[]) => {
    const at = new Map(list.map((key, i) => [key, i]));
    return (key: string) => {
      let index = at.get(key);
      if (index === undefined) {
        index = list.push(key) - 1;
        at.set(key, index);
      }
      return index;
    };
  };
  const hotkeyIndex = indexer(hotkeys);
  const coldkeyIndex = indexer(coldkeys);
  const frames = page.frames.map((frame) => ({
    ...frame,
    hotkeys: frame.hotkeys.map((i) => hotkeyIndex(page.hotkeys[i])),
    coldkeys: frame.coldkeys.map((i) => coldkeyIndex(page.coldkeys[i])),
  }));
  return { ...into, hotkeys, coldkeys, frames: [...into.frames, ...frames] };
}

