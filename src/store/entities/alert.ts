import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntColumn, TextColumn, VarcharColumn } from '../columns.js';
import { Fault } from './fault.js';

/** One alert (by fingerprint) listed on a monitoring fault, with its latest state. */
@Entity('alerts')
@Index('UQ_alerts_fault_fingerprint', ['faultId', 'fingerprint'], { unique: true })
@Index('IDX_alerts_first_seen', ['firstSeenAt'])
export class Alert {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @IntColumn('fault_id')
  faultId!: number;

  @ManyToOne(() => Fault, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'fault_id', foreignKeyConstraintName: 'FK_alerts_fault' })
  fault?: Fault;

  @VarcharColumn('source', 32)
  source!: string;

  @VarcharColumn('fingerprint', 64)
  fingerprint!: string;

  /** The `alertname` label (or the generic summary). */
  @VarcharColumn('name', 200)
  name!: string;

  @VarcharColumn('status', 10)
  status!: 'firing' | 'resolved';

  @VarcharColumn('severity', 32, { nullable: true })
  severity!: string | null;

  /** The configuration item the alert names (its `instance`, `service` or `job` label, or the generic field). */
  @VarcharColumn('configuration_item', 200, { nullable: true })
  configurationItem!: string | null;

  @VarcharColumn('summary', 300)
  summary!: string;

  /** Labels as JSON. */
  @TextColumn('labels')
  labels!: string;

  @DateColumn('starts_at')
  startsAt!: Date;

  @DateColumn('ends_at', { nullable: true })
  endsAt!: Date | null;

  /** How often it began to fire (1 at first; each new episode adds one). */
  @IntColumn('fire_count', { default: 1 })
  fireCount!: number;

  @DateColumn('first_seen_at')
  firstSeenAt!: Date;

  @DateColumn('changed_at')
  changedAt!: Date;
}
