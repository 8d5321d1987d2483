import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { DateColumn, IntColumn, TextColumn, VarcharColumn } from '../columns.js';
import { Person } from './person.js';
import { SlaTracked } from './sla-tracked.js';
import type { FaultCategory, FaultState, Level, Priority } from '../../faults/rules.js';

/** A fault (incident); its id is the number in `INC-<id>`. */
@Entity('faults')
@Index('IDX_faults_state', ['state'])
@Index('IDX_faults_reporter', ['reporterId'])
@Index('IDX_faults_next_reminder', ['nextReminderAt'])
export class Fault extends SlaTracked {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @VarcharColumn('title', 150)
  title!: string;

  @TextColumn('description')
  description!: string;

  @VarcharColumn('category', 16)
  category!: FaultCategory;

  @IntColumn('impact')
  impact!: Level;

  @IntColumn('urgency')
  urgency!: Level;

  @VarcharColumn('priority', 2)
  priority!: Priority;

  @VarcharColumn('state', 20)
  state!: FaultState;

  @VarcharColumn('affected_system', 150, { nullable: true })
  affectedSystem!: string | null;

  @VarcharColumn('source', 16)
  source!: string;

  @IntColumn('reporter_id')
  reporterId!: number;

  @ManyToOne(() => Person)
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'FK_faults_reporter' })
  reporter?: Person;

  @IntColumn('assignee_id', { nullable: true })
  assigneeId!: number | null;

  @ManyToOne(() => Person)
  @JoinColumn({ name: 'assignee_id', foreignKeyConstraintName: 'FK_faults_assignee' })
  assignee?: Person;

  @TextColumn('root_cause', { nullable: true })
  rootCause!: string | null;

  @TextColumn('resolution_steps', { nullable: true })
  resolutionSteps!: string | null;

  /** The platform the reporter used, so that DMs reach them where they are. */
  @VarcharColumn('reporter_platform', 16)
  reporterPlatform!: string;

  @DateColumn('acknowledged_at', { nullable: true })
  acknowledgedAt!: Date | null;

  @DateColumn('resolved_at', { nullable: true })
  resolvedAt!: Date | null;

  @DateColumn('closed_at', { nullable: true })
  closedAt!: Date | null;

  @DateColumn('created_at')
  createdAt!: Date;

  @DateColumn('updated_at')
  updatedAt!: Date;

  @VersionColumn({ name: 'version', type: 'integer' })
  version!: number;
}
