import { Column, type ValueTransformer } from 'typeorm';
import { DateColumn, IntColumn } from '../columns.js';
import { RecordColumns } from './record-columns.js';
import type { Interval } from '../../sla/clock.js';

// Intervals in which an SLA clock stood still, stored as JSON `[["from ISO","to ISO"], ...]`.
const intervals: ValueTransformer = {
  to: (value: Interval[] | null | undefined) => (value && value.length > 0 ? JSON.stringify(value.map((i) => [i.from.toISOString(), i.to.toISOString()])) : null),
  from: (value: string | null): Interval[] => {
    if (!value) return [];
    const parsed: unknown = JSON.parse(value);
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((pair: unknown) =>
      Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string' ? [{ from: new Date(pair[0]), to: new Date(pair[1]) }] : [],
    );
  },
};

/**
 * The SLA state kept on every record with service levels (faults, service requests): deadlines,
 * breaches, the pauses of the resolution clock, and how far the reminder schedule has gone. The
 * sweep finds due records through the index on `next_reminder_at` that each table declares.
 */
export abstract class SlaTracked extends RecordColumns {
  /** When the response (acknowledge / take) is due. */
  @DateColumn('response_due_at', { nullable: true })
  responseDueAt!: Date | null;

  /** When the resolution is due; null while the resolution clock stands still. */
  @DateColumn('resolve_due_at', { nullable: true })
  resolveDueAt!: Date | null;

  /** The deadline the response missed, once it missed it. */
  @DateColumn('response_breached_at', { nullable: true })
  responseBreachedAt!: Date | null;

  @DateColumn('resolve_breached_at', { nullable: true })
  resolveBreachedAt!: Date | null;

  /** Closed intervals in which the resolution clock stood still (waiting on the user, resolved). */
  @Column({ name: 'sla_stops', type: 'text', nullable: true, transformer: intervals })
  slaStops!: Interval[];

  /** The resolution clock stands still since then; null while it runs. */
  @DateColumn('sla_stopped_since', { nullable: true })
  slaStoppedSince!: Date | null;

  /** Reminders (not the breach or escalations) wait until then. */
  @DateColumn('sla_snoozed_until', { nullable: true })
  slaSnoozedUntil!: Date | null;

  /** How many steps of the response schedule went out (reminders, breach, escalations). */
  @IntColumn('sla_response_step', { default: 0 })
  slaResponseStep!: number;

  @IntColumn('sla_resolve_step', { default: 0 })
  slaResolveStep!: number;

  /** When the sweep should look at this record next; null when nothing more is scheduled. */
  @DateColumn('next_reminder_at', { nullable: true })
  nextReminderAt!: Date | null;
}
