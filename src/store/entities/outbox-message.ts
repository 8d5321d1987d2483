import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntColumn, TextColumn, VarcharColumn } from '../columns.js';

export type OutboxStatus = 'pending' | 'sent' | 'superseded' | 'dead';

/**
 * A message waiting to be delivered. `messageKey` names a message that is edited in place
 * (e.g. `fault:4:announcement`): the first delivery posts it, later ones update it.
 */
@Entity('outbox')
@Index('IDX_outbox_due', ['status', 'nextAttemptAt'])
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @VarcharColumn('platform', 16)
  platform!: string;

  @VarcharColumn('target_kind', 16)
  targetKind!: 'channel' | 'dm' | 'home';

  @VarcharColumn('target_id', 64)
  targetId!: string;

  @VarcharColumn('message_key', 100, { nullable: true })
  messageKey!: string | null;

  @TextColumn('payload')
  payload!: string;

  @VarcharColumn('status', 16)
  status!: OutboxStatus;

  @IntColumn('attempts', { default: 0 })
  attempts!: number;

  @DateColumn('next_attempt_at')
  nextAttemptAt!: Date;

  @TextColumn('last_error', { nullable: true })
  lastError!: string | null;

  @DateColumn('created_at')
  createdAt!: Date;

  @DateColumn('sent_at', { nullable: true })
  sentAt!: Date | null;
}
