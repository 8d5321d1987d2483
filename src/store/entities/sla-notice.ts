import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntColumn, VarcharColumn } from '../columns.js';

/**
 * One SLA reminder, breach notice or escalation that went out. The unique index makes sending a
 * step twice to the same recipient impossible, whatever else goes wrong; escalations list from here
 * who was reminded before and when.
 */
@Entity('sla_notices')
@Index('UQ_sla_notices_step', ['recordType', 'recordId', 'target', 'step', 'recipient'], { unique: true })
export class SlaNotice {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** `fault` or `request`. */
  @VarcharColumn('record_type', 16)
  recordType!: string;

  @IntColumn('record_id')
  recordId!: number;

  /** `response` or `resolve`. */
  @VarcharColumn('target', 16)
  target!: string;

  @IntColumn('step')
  step!: number;

  /** `remind`, `breach` or `escalate`. */
  @VarcharColumn('kind', 16)
  kind!: string;

  /** `person:12`, or `channel:slack:C123` when nobody was responsible. */
  @VarcharColumn('recipient', 100)
  recipient!: string;

  @IntColumn('recipient_id', { nullable: true })
  recipientId!: number | null;

  /** When the step fell due; `sent_at` later than that by more than a sweep interval means late. */
  @DateColumn('due_at')
  dueAt!: Date;

  @DateColumn('sent_at')
  sentAt!: Date;

  @IntColumn('late', { default: 0 })
  late!: number;
}
