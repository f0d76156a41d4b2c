import * as vscode from 'vscode';
import type { NeuronRow } from '../protocol/bittensorProtocol';
import { untrustedText } from '../core/util/untrustedText';
import type { SubnetNode } from '../views/subnetTreeProvider';
import type { CommandContext } from './commandContext';
import { COMMANDS } from './commandIds';

/** SS58 addresses are base58 (no 0, O, I, l); a hotkey on Bittensor is 47–48 characters. */
const SS58 = /^[1-9A-HJ-NP-Za-km-z]{46,48}$/;

interface Place {
  readonly netuid: number;
  readonly neuron: NeuronRow;
}

/**
 * "Find Hotkey or UID…": a miner looks for their own row among 1,024 UIDs. A hotkey is looked up in the newest
 * stored snapshot of every subnet; a UID in every subnet that has one. The row is revealed in the Subnets view
 * (filtered to that hotkey when it is not on the first page).
 */
export function registerFindHotkey(context: CommandContext, view: vscode.TreeView<SubnetNode>): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.findHotkey, async () => {
    const typed = await vscode.window.showInputBox({
      title: 'Find Hotkey or UID',
      prompt: 'A hotkey (SS58 address) or a UID; looked up in the newest stored snapshot of every subnet',
      placeHolder: '5F… or 42',
      validateInput: (value) => (/^\d{1,5}$/.test(value.trim()) || SS58.test(value.trim()) ? undefined : 'A hotkey is an SS58 address (5…); a UID is a whole number'),
    });
    if (typed === undefined) return;
    const query = typed.trim();
    try {
      const places = /^\d+$/.test(query) ? await uidPlaces(context, Number(query)) : await hotkeyPlaces(context, query);
      if (places.length === 0) {
        void vscode.window.showInformationMessage(`No stored subnet snapshot has ${/^\d+$/.test(query) ? `UID ${query}` : `hotkey ${query}`}. Only tracked subnets (and those snapshotted by hand) are stored.`);
        return;
      }
      const place = places.length === 1 ? places[0] : await pickPlace(places);
      if (!place) return;
      const row = await context.subnets.locate(place.netuid, place.neuron);
      if (!row) throw new Error(`UID ${place.neuron.uid} is no longer in the stored snapshot of subnet ${place.netuid}`);
      // locate() may have set the UIDs filter to bring the row into view: the clear action follows it.
      void vscode.commands.executeCommand('setContext', 'swarmscope.uidFilter', context.subnets.filter !== '');
      await view.reveal(row, { select: true, focus: true, expand: false });
    } catch (error) {
      context.reportError(error, `find ${query}`);
    }
  });
}

async function hotkeyPlaces(context: CommandContext, hotkey: string): Promise<Place[]> {
  const found = await context.engine.request('bittensor.hotkeys', { hotkeys: [hotkey] });
  return found.map(({ netuid, neuron }) => ({ netuid, neuron }));
}

/** A UID exists on every subnet: each one with a stored snapshot is asked for it. */
async function uidPlaces(context: CommandContext, uid: number): Promise<Place[]> {
  const stored = (await context.engine.request('bittensor.subnets', {})).filter((subnet) => subnet.latestSnapshotBlock !== null);
  const pages = await Promise.all(stored.map(({ netuid }) =>
    context.engine.request('bittensor.neurons', { netuid, group: 'uids', sort: 'incentive', limit: 1, filter: String(uid) })
      .then((page) => (page?.rows[0] ? [{ netuid, neuron: page.rows[0] }] : []))));
  return pages.flat();
}

async function pickPlace(places: readonly Place[]): Promise<Place | undefined> {
  const picked = await vscode.window.showQuickPick(places.map((place) => ({
    place,
    label: `SN${place.netuid} UID ${place.neuron.uid}`,
    // The identity is a name its owner chose on chain.
    description: `${untrustedText(place.neuron.identity ?? '')} ${place.neuron.hotkey}`.trim(),
    detail: `incentive ${place.neuron.incentive.toFixed(4)} · ${place.neuron.validatorPermit ? 'validator' : 'miner'}`,
  })), { title: 'Find Hotkey or UID', placeHolder: 'Found on several subnets: which one?', matchOnDescription: true });
  return picked?.place;
}
