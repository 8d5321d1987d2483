import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntColumn, VarcharColumn } from '../columns.js';
import { Person } from './person.js';

/**
 * A platform account that has opened the app's Home tab (Slack App Home). Only these accounts get
 * their Home view republished when their records, approvals or on-call turns change.
 */
@Entity('home_views')
@Index('UQ_home_views_platform_user', ['platform', 'userId'], { unique: true })
@Index('IDX_home_views_person', ['personId'])
export class HomeView {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @VarcharColumn('platform', 16)
  platform!: string;

  @VarcharColumn('user_id', 64)
  userId!: string;

  @IntColumn('person_id')
  personId!: number;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'FK_home_views_person' })
  person?: Person;

  @DateColumn('first_opened_at')
  firstOpenedAt!: Date;

  @DateColumn('last_opened_at')
  lastOpenedAt!: Date;

  /** When the latest republication was queued to go out; refreshes are spaced from it (coalescing). */
  @DateColumn('refresh_due_at', { nullable: true })
  refreshDueAt!: Date | null;
}
