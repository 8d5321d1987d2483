// What one notification's alerts mean before anything is stored (issue #11 items 3 and 5): each alert's
// own status, one entry per fingerprint, whether an alert fires anew or changed, and when the SLA clocks
// of a new fault start. Pure; the intake (intake.ts) applies it.
import type { IncomingAlert } from './normalize.js';
import type { StoredAlert } from './sql.js';

/** How far a sender's clock may run ahead: a startsAt later than arrival plus this is taken as arrival, so that a skewed sender cannot postpone the SLA. */
export const START_SKEW_MS = 5 * 60_000;

/**
 * When the SLA clocks of a new fault start (issue #11 item 5): at the earliest firing startsAt or at
 * arrival, whichever is later, except that a startsAt more than START_SKEW_MS after arrival counts as
 * arrival. Milliseconds, UTC.
 */
export function slaStart(startsAt: (Date | null)[], now: Date): Date {
  const arrival = now.getTime();
  const starts = startsAt.map((d) => (d === null || d.getTime() > arrival + START_SKEW_MS ? arrival : d.getTime()));
  return new Date(Math.max(Math.min(...starts, arrival + START_SKEW_MS), arrival));
}

function sameTime(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

/**
 * A firing alert that belongs to an episode already stored as resolved: its startsAt is at or before the
 * stored endsAt. That is an older notification delivered again (a retry, an HA peer, a re-sent body),
 * never a re-fire: Alertmanager and Prometheus give a re-fire a new, later startsAt (docs/monitoring.md,
 * "Stale notifications"). Without a startsAt nothing tells them apart, and the alert counts as a re-fire.
 */
export function isStaleFiring(alert: IncomingAlert, stored: StoredAlert | undefined): boolean {
  if (alert.status !== 'firing' || stored?.status !== 'resolved' || stored.endsAt === null || alert.startsAt === null) return false;
  return alert.startsAt.getTime() <= stored.endsAt.getTime();
}

/** The alert began a new firing episode compared with what is stored (a stale firing notification does not). */
export function firesAnew(alert: IncomingAlert, stored: StoredAlert | undefined): boolean {
  if (alert.status !== 'firing') return false;
  if (!stored) return true;
  if (stored.status === 'resolved') return !isStaleFiring(alert, stored);
  return alert.startsAt !== null && !sameTime(alert.startsAt, stored.startsAt);
}

/**
 * Issue #11 item 3: each alert decides for itself. A "firing" alert whose endsAt has already passed at
 * arrival (`now`, UTC) has ended: it is taken as resolved.
 */
export function ownStatus(alert: IncomingAlert, now: Date): IncomingAlert {
  return alert.status === 'firing' && alert.endsAt !== null && alert.endsAt.getTime() < now.getTime() ? { ...alert, status: 'resolved' } : alert;
}

function latest(alert: IncomingAlert): number {
  return Math.max(alert.startsAt?.getTime() ?? -Infinity, alert.endsAt?.getTime() ?? -Infinity);
}

/**
 * One entry per fingerprint when a body lists one twice (docs/monitoring.md): the entry with the latest
 * timestamp (the later of its startsAt and endsAt) wins; on a tie, a firing entry wins over a resolved one.
 */
export function onePerFingerprint(alerts: readonly IncomingAlert[]): IncomingAlert[] {
  const chosen = new Map<string, IncomingAlert>();
  for (const a of alerts) {
    const other = chosen.get(a.fingerprint);
    if (!other || latest(a) > latest(other) || (latest(a) === latest(other) && a.status === 'firing')) chosen.set(a.fingerprint, a);
  }
  return [...chosen.values()];
}

/** The alert differs from what is stored: new, firing anew, or its status moved (a stale firing notification changes nothing). */
export function changedFrom(alert: IncomingAlert, stored: StoredAlert | undefined): boolean {
  if (!stored) return true;
  if (isStaleFiring(alert, stored)) return false;
  if (firesAnew(alert, stored)) return true;
  return alert.status !== stored.status;
}
