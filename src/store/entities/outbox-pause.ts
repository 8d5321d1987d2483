import { Entity, Index, PrimaryColumn } from 'typeorm';
import { DateColumn } from '../columns.js';

/**
 * A platform route that answered 429: no dispatcher of any replica calls it before `pausedUntil`
 * (UTC). `route` is the platform name (`slack`, `discord`).
 */
@Entity('outbox_pauses')
@Index('IDX_outbox_pauses_until', ['pausedUntil'])
export class OutboxPause {
  @PrimaryColumn({ name: 'route', type: 'varchar', length: 64 })
  route!: string;

  @DateColumn('paused_until')
  pausedUntil!: Date;
}
