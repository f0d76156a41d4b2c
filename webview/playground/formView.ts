import type { DvmAnnouncement } from '../../src/protocol/jobProtocol';
import type { PlaygroundDvm, PlaygroundForm, PlaygroundJobChoice } from '../../src/protocol/playgroundPanelProtocol';
import { element } from '../common/dom';

const INPUT_TYPES = ['text', 'url', 'event', 'job'];
const DEFAULT_KIND = '5050';

export interface FormCallbacks {
  publish(form: PlaygroundForm): void;
  announcement(pubkey: string): Promise<DvmAnnouncement | null>;
}

/**
 * The job form. It only collects text; the host parses and checks it (src/panels/playgroundForm.ts) and names
 * any mistake. A target DVM's announcement (asked of the host) fills in its params, its encryption and its relays.
 */
export class FormView {
  readonly element: HTMLFormElement;
  private readonly kind = field('input', 'kind');
  private readonly kindName = element('span', { className: 'note' });
  private readonly kindList = element('datalist');
  private readonly inputs = element('div', { className: 'rows' });
  private readonly output = field('input', 'output');
  private readonly params = element('div', { className: 'rows' });
  private readonly announced = element('div', { className: 'announced-params' });
  private readonly bid = field('input', 'bid');
  private readonly dvm = field('input', 'dvm');
  private readonly dvmList = element('datalist');
  private readonly dvmNote = element('span', { className: 'note' });
  private readonly encrypt = field('input', 'encrypt');
  private readonly encryptNote = element('span', { className: 'note', text: 'Needs a target DVM that announces encryption.' });
  private readonly relays = field('textarea', 'relays');
  private readonly publishButton = element('button', { text: 'Publish' });
  private kinds = new Map<number, string>();
  private dvms: PlaygroundDvm[] = [];
  private earlierJobs: readonly PlaygroundJobChoice[] = [];
  private configuredRelays: readonly string[] = [];
  private asked = 0;

  constructor(private readonly callbacks: FormCallbacks) {
    this.kind.value = DEFAULT_KIND;
    this.kindList.id = 'kind-list';
    this.kind.setAttribute('list', this.kindList.id);
    this.dvmList.id = 'dvm-list';
    this.dvm.setAttribute('list', this.dvmList.id);
    this.dvm.placeholder = 'any DVM (or a public key: hex or npub1…)';
    this.output.placeholder = 'text/plain';
    this.bid.placeholder = 'no bid';
    this.bid.inputMode = 'numeric';
    this.encrypt.type = 'checkbox';
    this.encrypt.disabled = true;
    this.relays.rows = 3;
    this.publishButton.id = 'publish';
    this.publishButton.type = 'submit';
    const addInput = button('Add input', () => this.addInput('', 'text'));
    const addParam = button('Add param', () => this.addParam('', ''));
    this.element = element('form', { className: 'job-form' },
      row('Kind', this.kind, this.kindName, this.kindList),
      element('fieldset', {}, element('legend', { text: 'Inputs (i tags)' }), this.inputs, addInput),
      row('Output MIME type', this.output),
      element('fieldset', {}, element('legend', { text: 'Params' }), this.announced, this.params, addParam),
      row('Bid (millisats)', this.bid),
      row('Target DVM', this.dvm, this.dvmNote, this.dvmList),
      row('Encrypt', this.encrypt, this.encryptNote),
      row('Relays (one per line)', this.relays),
      this.publishButton);
    this.addInput('', 'text');
    this.kind.addEventListener('input', () => this.kindChanged());
    this.dvm.addEventListener('change', () => void this.dvmChanged());
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      callbacks.publish(this.value());
    });
  }

  setup(kinds: readonly { kind: number; name: string }[], relays: readonly string[], target?: string): void {
    this.kinds = new Map(kinds.map((each) => [each.kind, each.name]));
    this.kindList.replaceChildren(...kinds.map((each) => option(String(each.kind), each.name)));
    this.configuredRelays = relays;
    if (this.relays.value === '') this.relays.value = relays.join('\n');
    if (target && this.dvm.value === '') {
      this.dvm.value = target;
      void this.dvmChanged();
    }
    this.kindChanged();
  }

  setDvms(dvms: PlaygroundDvm[]): void {
    this.dvms = dvms;
    this.kindChanged();
  }

  /** The picker's median response times, which follow its DVMs. */
  setMedians(medians: Readonly<Record<string, number | null>>): void {
    this.dvms = this.dvms.map((dvm) => ({ ...dvm, medianResponseSec: medians[dvm.pubkey] ?? dvm.medianResponseSec }));
    this.kindChanged();
  }

  /** Your earlier jobs: each input of type `job` offers them. */
  setEarlierJobs(jobs: readonly PlaygroundJobChoice[]): void {
    this.earlierJobs = jobs;
    for (const picker of this.inputs.querySelectorAll('select.input-job')) this.fillJobPicker(picker as HTMLSelectElement);
  }

  /** The form as a job you posted had it; the target's announcement then fills in what it announces. */
  async prefill(form: PlaygroundForm): Promise<void> {
    this.kind.value = form.kind;
    this.inputs.replaceChildren();
    for (const input of form.inputs) this.addInput(input.data, input.type);
    this.output.value = form.output;
    this.params.replaceChildren();
    for (const [name, value] of form.params) this.addParam(name, value);
    this.bid.value = form.bid;
    if (form.relays !== '') this.relays.value = form.relays;
    this.dvm.value = form.dvm;
    this.kindChanged();
    await this.dvmChanged();
    if (form.encrypt && !this.encrypt.disabled) this.encrypt.checked = true;
  }

  setBusy(busy: boolean): void {
    this.publishButton.disabled = busy;
  }

  value(): PlaygroundForm {
    return {
      kind: this.kind.value,
      inputs: [...this.inputs.children].map((each) => ({
        type: (each.querySelector('select') as HTMLSelectElement).value,
        data: (each.querySelector('textarea') as HTMLTextAreaElement).value,
      })),
      output: this.output.value,
      params: [...this.params.children].map((each) => {
        const [name, value] = each.querySelectorAll('input');
        return [name.value, value.value] as const;
      }),
      bid: this.bid.value,
      dvm: this.dvm.value,
      encrypt: this.encrypt.checked && !this.encrypt.disabled,
      relays: this.relays.value,
    };
  }

  /** The kind's name, and the known DVMs that serve it (with liveness and median response time) in the picker. */
  private kindChanged(): void {
    const kind = Number(this.kind.value);
    this.kindName.textContent = this.kinds.get(kind) ?? (Number.isInteger(kind) && kind >= 5000 && kind <= 5999 ? 'not in the registry' : 'a job kind is 5000–5999');
    const serving = this.dvms.filter((dvm) => dvm.kinds.includes(kind));
    this.dvmList.replaceChildren(...serving.map((dvm) => option(dvm.pubkey,
      `${dvm.name} · ${dvm.status}${dvm.medianResponseSec === null ? '' : ` · median ${dvm.medianResponseSec.toFixed(1)} s`}`)));
  }

  private async dvmChanged(): Promise<void> {
    const asked = ++this.asked;
    const pubkey = this.dvm.value.trim();
    this.announced.replaceChildren();
    this.encrypt.disabled = true;
    this.encrypt.checked = false;
    this.dvmNote.textContent = '';
    if (pubkey === '') return;
    let announcement: DvmAnnouncement | null;
    try {
      announcement = await this.callbacks.announcement(pubkey);
    } catch (error) {
      if (asked === this.asked) this.dvmNote.textContent = `Could not read its announcement: ${(error as Error).message}`;
      return;
    }
    if (asked !== this.asked) return;
    if (!announcement) {
      this.dvmNote.textContent = 'No announcement of this DVM is stored.';
      return;
    }
    this.dvmNote.textContent = announcement.name ?? '';
    this.encrypt.disabled = !announcement.encryptionSupported;
    this.encryptNote.textContent = announcement.encryptionSupported
      ? `It takes encrypted jobs (${announcement.encryptionSchemes.join(', ')}).`
      : 'This DVM does not announce encryption.';
    const relays = [...new Set([...announcement.relays, ...this.relays.value.split(/\s+/).filter((relay) => relay !== '')])];
    this.relays.value = relays.join('\n');
    this.showAnnouncedParams(announcement);
  }

  /** Each announced param: its values, whether it is required, its description; "Use" adds it to the params. */
  private showAnnouncedParams(announcement: DvmAnnouncement): void {
    if (announcement.params.length === 0) return;
    const list = element('ul', { className: 'announced' });
    for (const param of announcement.params) {
      const values = param.values.length > 0 ? `values: ${param.values.join(', ')}` : '';
      const item = element('li', {},
        element('code', { text: param.name }),
        element('span', { className: param.required ? 'required' : 'optional', text: param.required ? ' required ' : ' optional ' }),
        element('span', { text: [param.description ?? '', values].filter((each) => each !== '').join(' · ') }),
        button('Use', () => this.addParam(param.name, param.default ?? param.values[0] ?? '')));
      list.append(item);
    }
    this.announced.replaceChildren(element('p', { className: 'note', text: 'Params this DVM announces:' }), list);
    for (const param of announcement.params) if (param.required && !this.hasParam(param.name)) this.addParam(param.name, param.default ?? param.values[0] ?? '');
  }

  private hasParam(name: string): boolean {
    return [...this.params.querySelectorAll('input.param-name')].some((input) => (input as HTMLInputElement).value === name);
  }

  private addInput(data: string, type: string): void {
    const select = element('select', { className: 'input-type' });
    select.append(...INPUT_TYPES.map((each) => option(each, each)));
    select.value = type;
    const text = element('textarea', { className: 'input-data' });
    text.rows = 2;
    text.value = data;
    text.placeholder = 'the input: text, a URL, or an event / job id (64 hex)';
    // An input of type `job` takes the output of one of your earlier jobs (NIP-90 chaining): pick it here.
    const jobs = element('select', { className: 'input-job' });
    jobs.title = 'One of your earlier jobs';
    this.fillJobPicker(jobs);
    jobs.hidden = type !== 'job';
    jobs.addEventListener('change', () => {
      if (jobs.value !== '') text.value = jobs.value;
    });
    select.addEventListener('change', () => {
      jobs.hidden = select.value !== 'job';
    });
    const each = element('div', { className: 'input-row' }, select, jobs, text);
    each.append(button('Remove', () => {
      if (this.inputs.children.length > 1) each.remove();
    }));
    this.inputs.append(each);
  }

  private fillJobPicker(picker: HTMLSelectElement): void {
    const now = Date.now() / 1000;
    picker.replaceChildren(option('', this.earlierJobs.length > 0 ? 'pick one of your jobs…' : 'no earlier jobs'),
      ...this.earlierJobs.map((job) => option(job.requestId, `${job.label} · ${job.status} · ${age(now - job.createdAt)} ago · ${job.requestId.slice(0, 8)}`)));
  }

  private addParam(name: string, value: string): void {
    const nameField = element('input', { className: 'param-name' });
    nameField.placeholder = 'name';
    nameField.value = name;
    const valueField = element('input', { className: 'param-value' });
    valueField.placeholder = 'value';
    valueField.value = value;
    const each = element('div', { className: 'param-row' }, nameField, valueField);
    each.append(button('Remove', () => each.remove()));
    this.params.append(each);
  }
}

function age(seconds: number): string {
  if (seconds < 90) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 129_600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

function field<K extends 'input' | 'textarea'>(tag: K, id: string): HTMLElementTagNameMap[K] {
  const node = element(tag);
  node.id = id;
  node.name = id;
  return node;
}

function row(label: string, control: HTMLElement, ...rest: HTMLElement[]): HTMLElement {
  const text = element('label', { text: label });
  text.htmlFor = control.id;
  return element('div', { className: 'form-row' }, text, control, ...rest);
}

function option(value: string, label: string): HTMLOptionElement {
  const node = element('option', { text: label });
  node.value = value;
  return node;
}

function button(text: string, onClick: () => void): HTMLButtonElement {
  const node = element('button', { text, className: 'secondary' });
  node.type = 'button';
  node.addEventListener('click', onClick);
  return node;
}
