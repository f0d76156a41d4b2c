/** Command ids; they mirror `contributes.commands` in package.json (a unit test checks the two agree). */
export const COMMANDS = {
  showLog: 'swarmscope.engine.showLog',
  restartEngine: 'swarmscope.engine.restart',
  showStatus: 'swarmscope.engine.status',
  openSettings: 'swarmscope.settings.open',
  refreshSubnets: 'swarmscope.subnets.refresh',
  openEvent: 'swarmscope.event.open',
  openTrace: 'swarmscope.nostr.openTrace',
  watchDvm: 'swarmscope.dvm.watch',
  unwatchDvm: 'swarmscope.dvm.unwatch',
  watchHotkey: 'swarmscope.hotkey.watch',
  unwatchHotkey: 'swarmscope.hotkey.unwatch',
  sortUidsByIncentive: 'swarmscope.uids.sortByIncentive',
  sortUidsByStake: 'swarmscope.uids.sortByStake',
  snapshotSubnet: 'swarmscope.subnet.snapshot',
  openDashboard: 'swarmscope.dashboard.open',
  showWeights: 'swarmscope.bittensor.showWeights',
  importEvents: 'swarmscope.nostr.importEvents',
  openSubnetDashboard: 'swarmscope.bittensor.openSubnetDashboard',
  postTestJob: 'swarmscope.nostr.postTestJob',
  sendTestJob: 'swarmscope.dvm.sendTestJob',
  showIdentity: 'swarmscope.identity.show',
  importKey: 'swarmscope.identity.importKey',
  deleteKey: 'swarmscope.identity.deleteKey',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];
