import { isoTime } from '../core/util/isoTime';
import { singleLine } from '../core/util/untrustedText';
import type { ActivitySeries, DvmPage, KindPage, PairFigures, RecentKindJobs, UserPage } from '../protocol/nostrPagesProtocol';
import { formatTable } from './cliCommand';

/**
 * The human-readable pages of `swarmscope dvm | kind | user | series | recent`. Names, about texts, relay URLs and
 * error messages are strangers' text: one line each, without escape sequences or invisible characters.
 */

const text = (value: string | undefined, max = 120) => (value === undefined ? '' : singleLine(value).slice(0, max));
const time = (at: number | null | undefined) => (at === null || at === undefined ? '-' : isoTime(at));
const percent = (rate: number | null) => (rate === null ? '' : `${(rate * 100).toFixed(0)}%`);
const short = (hex: string) => `${hex.slice(0, 12)}…`;

function figures(row: PairFigures): Record<string, unknown> {
  return {
    jobs: row.jobs, results: row.results, errors: row.errors, success: percent(row.successRate), p50Sec: row.p50ResponseSec, p90Sec: row.p90ResponseSec,
    feedbackP50Sec: row.p50FeedbackSec, satsRequested: row.satsRequested, satsEarned: row.satsEarned, satsProven: row.satsProven,
  };
}

function seriesCoverage(series: ActivitySeries): string {
  const { covers } = series;
  const why = { window: 'the window', retention: `retention (${series.bucket} buckets are kept ${Math.round(covers.keptSec / 3600)} h)`, 'collection-start': 'the first data stored' }[covers.limitedBy];
  return `${series.bucket} buckets from ${time(covers.from)} to ${time(covers.to)} (${covers.source}; starts at ${why})`;
}

export function dvmPageText(page: DvmPage): string {
  const { profile, liveness, totals } = page;
  const heartbeat = liveness.lastHeartbeatAt === null ? 'none'
    : `${time(liveness.lastHeartbeatAt)}${liveness.heartbeatExpiresAt === null ? '' : `, expires ${time(liveness.heartbeatExpiresAt)}${liveness.heartbeatExpired ? ' (expired)' : ''}`}`;
  const jobs = page.jobsOverTime;
  return [
    `DVM ${text(page.name) || '(no name)'}  ${page.npub}`,
    `pubkey: ${page.pubkey}`,
    ...(profile.about !== undefined ? [`about: ${text(profile.about, 200)}`] : []),
    `profile: ${profile.hasProfile ? `NIP-89 handler of ${time(profile.updatedAt)}` : 'no NIP-89 handler'}; lud16 ${text(profile.lud16) || '-'}; encryption ${flag(profile.encryptionSupported)}; cashu ${flag(profile.cashuAccepted)}`,
    `announced kinds: ${profile.announcedKinds.map((kind) => `${kind.kind} ${text(kind.name, 40)}`).join(', ') || '-'}`,
    `announced relays: ${profile.relays.map((url) => text(url, 100)).join(', ') || '-'}`,
    ...(profile.picture !== undefined ? [`picture (not loaded): ${text(profile.picture, 200)}`] : []),
    '',
    `liveness: ${liveness.status}; last seen ${time(liveness.lastSeen)}; last result ${time(liveness.lastResultAt)}; last feedback ${time(liveness.lastFeedbackAt)}`,
    `heartbeat (11998): ${heartbeat}; waiting: ${liveness.waiting} (addressed in the last ${Math.round(liveness.waitingWindowSec / 3600)} h)`,
    `all-time: ${totals.jobs} jobs, ${totals.results} results, ${totals.errors} errors, success ${percent(totals.successRate) || '-'}; sats requested ${totals.satsRequested}, earned ${totals.satsEarned}, proven ${totals.satsProven}`,
    '',
    `per kind (jobs kept since ${time(page.kindsFrom)}):`,
    formatTable(page.kinds.map((row) => ({ kind: row.kind, name: text(row.name, 40), ...figures(row), waiting: row.waiting }))),
    '',
    `problems: ${page.problems.unpaidInvoices.jobs} unpaid invoices (${page.problems.unpaidInvoices.sats} sats); ${page.problems.paidWithoutResult.jobs} paid without result (${page.problems.paidWithoutResult.sats} sats)`,
    formatTable(page.problems.errorMessages.map((entry) => ({ errors: entry.count, message: text(entry.message), last: time(entry.lastAt), job: short(entry.requestId) }))),
    '',
    `jobs over time: ${seriesCoverage(jobs)}`,
    formatTable(jobs.points.filter((point) => point.jobs > 0 || point.results > 0).map((point) => ({ t: time(point.t), jobs: point.jobs, results: point.results, errors: point.errors }))),
    '',
    `newest events (${page.recent.length}):`,
    formatTable(page.recent.slice(0, 20).map((event) => ({ time: time(event.createdAt), kind: event.kind, status: text(event.status, 30), sats: event.amountSats ?? '', job: short(event.requestId), id: short(event.id) }))),
  ].join('\n');
}

export function kindPageText(page: KindPage): string {
  const { competition } = page;
  return [
    `kind ${page.kind} ${text(page.name, 60)} (${page.nameSource})${page.askedKind !== page.kind ? `, asked as ${page.askedKind}` : ''}`,
    ...(page.announcedNames.length > 0 ? [`names DVMs announce: ${page.announcedNames.map((name) => text(name, 40)).join(', ')}`] : []),
    `all-time: ${page.requests} requests, ${page.results} results, ${page.feedback} feedback, ${page.users} users`,
    `competition: ${competition.dvms} DVMs${competition.rank === null ? '' : `, rank ${competition.rank} of ${competition.of} kinds`}${competition.mostCompetitiveKind === null ? '' : ` (most: ${competition.mostCompetitiveKind})`}`,
    '',
    `DVMs (jobs kept since ${time(page.dvmsFrom)}):`,
    formatTable(page.dvms.map((row) => ({ dvm: text(row.name, 30) || row.npub.slice(0, 20), status: row.status, announced: row.announced ? 'yes' : '', ...figures(row) }))),
    '',
    `over time: ${seriesCoverage(page.overTime)}`,
    formatTable(page.overTime.points.filter((point) => point.requests > 0 || point.results > 0).map((point) => ({ t: time(point.t), requests: point.requests, results: point.results, users: point.users }))),
    '',
    'newest jobs:',
    formatTable(page.recentJobs.map((job) => ({ time: time(job.createdAt), status: job.status, dvm: text(job.dvmName, 30) || (job.dvm ? short(job.dvm) : ''), dvms: job.dvmCount, job: job.requestId }))),
  ].join('\n');
}

export function userPageText(page: UserPage): string {
  return [
    `user ${text(page.name) || page.npub}  ${page.pubkey}`,
    `all-time: ${page.requests} requests from ${time(page.firstSeen)} to ${time(page.lastAt)}; kinds: ${page.kinds.map((kind) => `${kind.kind} ${text(kind.name, 40)} (${kind.requests})`).join(', ')}`,
    '',
    `DVMs that answered its newest ${page.jobsScanned} jobs:`,
    formatTable(page.dvms.map((dvm) => ({ dvm: text(dvm.name, 30) || dvm.npub.slice(0, 20), jobs: dvm.jobs, results: dvm.results, successes: dvm.successes, errors: dvm.errors, satsRequested: dvm.satsRequested, satsProven: dvm.satsProven, last: time(dvm.lastAt) }))),
    '',
    'newest jobs:',
    formatTable(page.jobs.map((job) => ({ time: time(job.createdAt), kind: job.kind, name: text(job.kindName, 30), status: job.status, dvm: text(job.dvmName, 30) || (job.dvm ? short(job.dvm) : ''), job: job.requestId }))),
  ].join('\n');
}

export function seriesText(series: ActivitySeries): string {
  return [
    `${seriesCoverage(series)}${series.kind !== undefined ? `, kind ${series.kind}` : ''}${series.dvm !== undefined ? `, DVM ${series.dvm}` : ''}`,
    formatTable(series.points.map((point) => ({
      t: time(point.t), requests: point.requests, results: point.results, users: point.users, dvms: point.dvms, satsRequested: point.satsRequested, satsProven: point.satsProven,
      errorRate: percent(point.errorRate), p50Sec: point.p50ResponseSec,
    }))),
  ].join('\n');
}

export function recentText(kinds: readonly RecentKindJobs[]): string {
  return formatTable(kinds.flatMap((kind) => kind.jobs.map((job, i) => ({
    kind: i === 0 ? kind.kind : '', name: i === 0 ? text(kind.name, 30) : '', time: time(job.createdAt), status: job.status, dvm: text(job.dvmName, 30) || (job.dvm ? short(job.dvm) : ''), job: job.requestId,
  }))));
}

function flag(value: boolean | undefined): string {
  return value === undefined ? '-' : value ? 'yes' : 'no';
}
