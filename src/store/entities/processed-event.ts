import { Entity, Index, PrimaryColumn } from 'typeorm';
import { DateColumn, VarcharColumn } from '../columns.js';

/**
 * An inbound platform event already applied, by the platform's own id (Slack's `event_id`). Slack
 * retries events it thinks went unanswered and Socket Mode can deliver an envelope twice; the primary
 * key makes the second delivery a no-op. Rows older than a day are deleted.
 */
@Entity('processed_events')
@Index('IDX_processed_events_received', ['receivedAt'])
export class ProcessedEvent {
  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 100 })
  eventId!: string;

  @VarcharColumn('platform', 16)
  platform!: string;

  @DateColumn('received_at')
  receivedAt!: Date;
}
