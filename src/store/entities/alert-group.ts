import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntColumn, TextColumn, VarcharColumn } from '../columns.js';
import { Fault } from './fault.js';

/**
 * The fault that a monitoring group (Alertmanager or Grafana `groupKey`, generic `key`) currently
 * feeds. `currentSlot` is 1 on the group's current fault and NULL on its earlier ones: the unique
 * index on (group_hash, current_slot) lets only one current fault per group exist, even when two
 * deliveries of the same notification race (NULLs never collide, on SQLite and PostgreSQL alike).
 */
@Entity('alert_groups')
@Index('UQ_alert_groups_current', ['groupHash', 'currentSlot'], { unique: true })
@Index('UQ_alert_groups_fault', ['faultId'], { unique: true })
@Index('IDX_alert_groups_redraw', ['cardRedrawAt'])
export class AlertGroup {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @IntColumn('fault_id')
  faultId!: number;

  @ManyToOne(() => Fault, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'fault_id', foreignKeyConstraintName: 'FK_alert_groups_fault' })
  fault?: Fault;

  /** `alertmanager`, `grafana` or the generic sender's `source`. */
  @VarcharColumn('source', 32)
  source!: string;

  /** Hex SHA-256 of source and group key: group keys can be long, the index stays small. */
  @VarcharColumn('group_hash', 64)
  groupHash!: string;

  @TextColumn('group_key')
  groupKey!: string;

  @IntColumn('current_slot', { nullable: true })
  currentSlot!: number | null;

  /** Alerts the sender left out of its last notification (Alertmanager `max_alerts`). */
  @IntColumn('truncated_alerts', { default: 0 })
  truncatedAlerts!: number;

  /** The group's earlier fault, when this one was opened after the reopen window had passed. */
  @IntColumn('previous_fault_id', { nullable: true })
  previousFaultId!: number | null;

  /** When the latest channel card of this fault becomes due; later edits wait 10 s after it. */
  @DateColumn('card_due_at', { nullable: true })
  cardDueAt!: Date | null;

  /** When the card's coalesced edit is due to be drawn (null: no change waits to be shown). */
  @DateColumn('card_redraw_at', { nullable: true })
  cardRedrawAt!: Date | null;

  /** When every listed alert had resolved (null while any fires). */
  @DateColumn('cleared_at', { nullable: true })
  clearedAt!: Date | null;

  @DateColumn('created_at')
  createdAt!: Date;
}
