// On-call rotations (policy 4.4): an ordered list of people taking turns, handing off at a weekday and
// time in the configured zone, each turn lasting a number of days; overrides put someone else on call
// for a while. Pure, no I/O; local times go through luxon so hand-offs keep their wall-clock time
// across daylight-saving changes.
import { DateTime } from 'luxon';
import { WEEKDAYS, formatClockTime } from '../sla/calendar.js';

export const ONCALL_LEVELS = ['primary', 'secondary', 'manager'] as const;
export type OnCallLevel = (typeof ONCALL_LEVELS)[number];

export interface Handoff {
  /** ISO weekday (1 Monday .. 7 Sunday), or null for "every day at this time". */
  weekday: number | null;
  /** Minutes after local midnight. */
  minute: number;
}

export interface Rotation extends Handoff {
  members: readonly number[];
  lengthDays: number;
  /** The start of the first member's first shift. */
  anchorAt: Date;
}

export interface OverrideSpan {
  id: number;
  personId: number;
  startsAt: Date;
  endsAt: Date;
}

export interface Shift {
  index: number;
  personId: number;
  start: Date;
  end: Date;
}

export interface Segment {
  personId: number;
  start: Date;
  end: Date;
  /** The override that put this person on call, if any. */
  overrideId: number | null;
}

export const MAX_MEMBERS = 20;
export const MAX_LENGTH_DAYS = 28;

/** `Mon 09:00`, `mon@9:00`, or `09:00` (every day). */
export function parseHandoff(text: string): Handoff | undefined {
  const match = /^\s*(?:([A-Za-z]{3,9})[\s@]+)?(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!match?.[2] || !match[3]) return undefined;
  const hours = Number(match[2]);
  const minutes = Number(match[3]);
  if (hours > 23 || minutes > 59) return undefined;
  let weekday: number | null = null;
  if (match[1]) {
    const index = WEEKDAYS.findIndex((d) => d.toLowerCase() === match[1]?.toLowerCase().slice(0, 3));
    if (index === -1) return undefined;
    weekday = index + 1;
  }
  return { weekday, minute: hours * 60 + minutes };
}

export function formatHandoff(handoff: Handoff): string {
  const time = formatClockTime(handoff.minute);
  return handoff.weekday === null ? time : `${WEEKDAYS[handoff.weekday - 1] ?? ''} ${time}`;
}

/** `1w`, `2w`, `1d`, `3d` -> days. */
export function parseLength(text: string): number | undefined {
  const match = /^\s*(\d{1,2})\s*([dw])\s*$/i.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  const days = Number(match[1]) * (match[2].toLowerCase() === 'w' ? 7 : 1);
  return days >= 1 && days <= MAX_LENGTH_DAYS ? days : undefined;
}

export function formatLength(days: number): string {
  return days % 7 === 0 ? `${days / 7}w` : `${days}d`;
}

function localAt(day: DateTime, minute: number, zone: string): DateTime {
  return DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: Math.floor(minute / 60), minute: minute % 60 }, { zone });
}

/** The latest hand-off instant at or before `now`: where a rotation set now starts its first shift. */
export function latestHandoff(handoff: Handoff, now: Date, zone: string): Date {
  const today = DateTime.fromMillis(now.getTime(), { zone }).startOf('day');
  for (let back = 0; back <= 7; back++) {
    const day = today.minus({ days: back });
    const candidate = localAt(day, handoff.minute, zone);
    if ((handoff.weekday === null || day.weekday === handoff.weekday) && candidate.toMillis() <= now.getTime()) return candidate.toJSDate();
  }
  throw new Error('no hand-off in the last eight days');
}

/** The start of shift `index` (0 = the anchor; negative indexes lie before it). */
export function shiftStart(rotation: Rotation, index: number, zone: string): Date {
  const anchor = DateTime.fromMillis(rotation.anchorAt.getTime(), { zone });
  return anchor.plus({ days: index * rotation.lengthDays }).toJSDate();
}

function memberAt(rotation: Rotation, index: number): number {
  const n = rotation.members.length;
  return rotation.members[((index % n) + n) % n] ?? 0;
}

/** The shift running at `at`. */
export function shiftAt(rotation: Rotation, at: Date, zone: string): Shift {
  const approx = Math.floor((at.getTime() - rotation.anchorAt.getTime()) / (rotation.lengthDays * 86_400_000));
  let index = approx;
  while (shiftStart(rotation, index, zone) > at) index--;
  while (shiftStart(rotation, index + 1, zone) <= at) index++;
  return { index, personId: memberAt(rotation, index), start: shiftStart(rotation, index, zone), end: shiftStart(rotation, index + 1, zone) };
}

/** The shifts overlapping [from, to). */
export function shiftsBetween(rotation: Rotation, from: Date, to: Date, zone: string): Shift[] {
  const shifts: Shift[] = [];
  for (let shift = shiftAt(rotation, from, zone); shift.start < to; ) {
    shifts.push(shift);
    const index = shift.index + 1;
    shift = { index, personId: memberAt(rotation, index), start: shift.end, end: shiftStart(rotation, index + 1, zone) };
  }
  return shifts;
}

/** The override in force at `at`: of several, the one set last wins. */
export function overrideAt(overrides: readonly OverrideSpan[], at: Date): OverrideSpan | undefined {
  let found: OverrideSpan | undefined;
  for (const o of overrides) if (o.startsAt <= at && at < o.endsAt && (!found || o.id > found.id)) found = o;
  return found;
}

/** Who is on call in [from, to): rotation shifts with overrides laid over them, adjacent turns merged. */
export function timeline(rotation: Rotation | undefined, overrides: readonly OverrideSpan[], from: Date, to: Date, zone: string): Segment[] {
  const points = new Set<number>([from.getTime(), to.getTime()]);
  if (rotation && rotation.members.length > 0) for (const shift of shiftsBetween(rotation, from, to, zone)) points.add(shift.start.getTime());
  for (const o of overrides) {
    for (const t of [o.startsAt.getTime(), o.endsAt.getTime()]) if (t > from.getTime() && t < to.getTime()) points.add(t);
  }
  const sorted = [...points].filter((t) => t >= from.getTime() && t <= to.getTime()).sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const start = sorted[i] ?? 0;
    const end = sorted[i + 1] ?? 0;
    const override = overrideAt(overrides, new Date(start));
    const personId = override?.personId ?? (rotation && rotation.members.length > 0 ? shiftAt(rotation, new Date(start), zone).personId : undefined);
    if (personId === undefined) continue;
    const previous = segments[segments.length - 1];
    const overrideId = override?.id ?? null;
    if (previous && previous.personId === personId && previous.overrideId === overrideId && previous.end.getTime() === start) previous.end = new Date(end);
    else segments.push({ personId, start: new Date(start), end: new Date(end), overrideId });
  }
  return segments;
}

/** Who is on call at `at`, until when (unless open-ended), and who comes next (looking a few turns ahead). */
export function onCallAt(
  rotation: Rotation | undefined,
  overrides: readonly OverrideSpan[],
  at: Date,
  zone: string,
): { now: Segment | undefined; next: Segment | undefined; openEnded: boolean } {
  const horizonDays = Math.max(rotation?.lengthDays ?? 1, 1) * Math.max(rotation?.members.length ?? 1, 2) + 1;
  const horizon = DateTime.fromMillis(at.getTime(), { zone }).plus({ days: horizonDays }).toJSDate();
  const segments = timeline(rotation, overrides, at, horizon, zone);
  const now = segments[0] && segments[0].start.getTime() === at.getTime() ? segments[0] : undefined;
  const next = segments.find((s) => s.start > at && s.personId !== now?.personId);
  // The same person all the way to the horizon (a rotation of one): no hand-off in sight.
  return { now, next, openEnded: now !== undefined && now.end.getTime() >= horizon.getTime() };
}
