import { buildJobCancellation } from '../core/jobs/jobRequest';
import { parseEventReference } from '../core/nostr/eventId';
import { isRequestKind } from '../core/nostr/nostrEvent';
import type { RelayPublishResult } from '../protocol/jobProtocol';
import { flag, report, reportFailure, UsageError, withEngine, type CliCommand } from './cliCommand';
import { relayResultsText } from './postCommand';
import { KEY_FILE_OPTION, keyFlag, RELAY_OPTION, relayFlags } from './postOptions';

export interface CancelReport {
  readonly job: string;
  /** The kind 5 deletion published. */
  readonly deletion: string;
  readonly relays: readonly RelayPublishResult[];
}

/**
 * `swarmscope cancel ID`: cancels a job the key posted, the NIP-90 way (a NIP-09 deletion, kind 5, signed by the
 * job's author). The job is looked up in the database, or fetched from the relays given when it is not there.
 */
export const cancelCommand: CliCommand = {
  name: 'cancel',
  summary: 'Cancel a job you posted: publish a deletion (kind 5) of it, signed with the key that posted it.',
  arguments: [{ name: 'ID', help: 'the job request: hex, note1… or nevent1…' }],
  options: [
    RELAY_OPTION,
    { ...KEY_FILE_OPTION, required: true, help: 'the secret key (nsec or 64 hex) that posted the job, in a file only you can read (chmod 600)' },
    { name: 'reason', value: 'TEXT', help: 'why, in the deletion\'s content (default "cancelled")' },
  ],
  run: (args, io) => {
    const reference = parseEventReference(args.positionals[0]);
    if (!reference) throw new UsageError(`${JSON.stringify(args.positionals[0])} is not an event id (hex, note1… or nevent1…)`);
    const relays = relayFlags(args);
    const { key } = keyFlag(args, false);
    return withEngine(args, io, { collect: false }, async (engine) => {
      let job = await engine.call('nostr.event', { id: reference.id });
      if (!job) {
        await engine.call('nostr.traceGraph', { id: reference.id, fetch: true, relays: [...new Set([...relays, ...reference.relays])] });
        job = await engine.call('nostr.event', { id: reference.id });
      }
      if (!job) return reportFailure(io, `job ${reference.id} is neither in the database nor on ${relays.join(', ')}`);
      if (!isRequestKind(job.kind)) return reportFailure(io, `${reference.id} is a kind ${job.kind} event, not a job request`);
      if (job.pubkey !== key.publicKey) return reportFailure(io, `job ${reference.id} was posted by another key (${job.pubkey.slice(0, 12)}…); only its author can cancel it`);
      const deletion = buildJobCancellation(job, key, flag(args, 'reason') ?? 'cancelled');
      const published = await engine.call('nostr.publish', { event: deletion, relays });
      const value: CancelReport = { job: job.id, deletion: deletion.id, relays: published.relays };
      const taken = published.relays.some((relay) => relay.outcome === 'ok');
      return report(args, io, value, () => [`deletion ${deletion.id} of job ${job.id}`, '', relayResultsText(value.relays)].join('\n'), taken ? 0 : 1);
    }).finally(() => key.wipe());
  },
};
