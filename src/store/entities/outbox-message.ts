import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntColumn, TextColumn, VarcharColumn } from '../columns.js';

export type OutboxStatus = 'pending' | 'sent' | 'superseded' | 'dead';

/**
 * A message waiting to be delivered. `messageKey` names a message that is edited in place
 * (e.g. `fault:4:announcement`): the first delivery posts it, later ones update it.
 */
@Entity('outbox')
@Index('IDX_outbox_due', ['status', 'nextAttemptAt'])
@Index('IDX_outbox_message_key', ['messageKey', 'platform', 'targetId'])
@Index('IDX_outbox_target', ['platform', 'targetId', 'status', 'claimExpiresAt'])
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

  /** The record the message is about (`fault`, `request`, `change`, or `oncall` for a hand-off notice), for the fallback when it cannot be delivered. */
  @VarcharColumn('record_kind', 16, { nullable: true })
  recordKind!: string | null;

  @IntColumn('record_id', { nullable: true })
  recordId!: number | null;

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

  /**
   * The dispatcher that last claimed the row. Kept after a delivery attempt whose outcome is unknown
   * (a crash, a timeout), so that the next attempt first looks for the message on the platform.
   */
  @VarcharColumn('claimed_by', 64, { nullable: true })
  claimedBy!: string | null;

  /** Until when the claim holds; a lapsed claim means the claimant died or hung. */
  @DateColumn('claim_expires_at', { nullable: true })
  claimExpiresAt!: Date | null;
}
