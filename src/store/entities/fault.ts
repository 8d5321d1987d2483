import { Entity, Index } from 'typeorm';
import { DateColumn, IntColumn, TextColumn, VarcharColumn } from '../columns.js';
import type { Person } from './person.js';
import { PersonRef } from './person-ref.js';
import { AssignedRecord } from './assigned-record.js';
import type { FaultCategory, FaultState, Level } from '../../faults/rules.js';

/** A fault (incident); its id is the number in `INC-<id>`. */
@Entity('faults')
@Index('IDX_faults_state', ['state'])
@Index('IDX_faults_reporter', ['reporterId'])
@Index('IDX_faults_next_reminder', ['nextReminderAt'])
@Index('IDX_faults_created', ['createdAt'])
export class Fault extends AssignedRecord {
  @TextColumn('description')
  description!: string;

  @VarcharColumn('category', 16)
  category!: FaultCategory;

  @IntColumn('impact')
  impact!: Level;

  @IntColumn('urgency')
  urgency!: Level;

  declare state: FaultState;

  @VarcharColumn('affected_system', 150, { nullable: true })
  affectedSystem!: string | null;

  @VarcharColumn('source', 16)
  source!: string;

  @IntColumn('reporter_id')
  reporterId!: number;

  @PersonRef('reporter_id', 'FK_faults_reporter')
  reporter?: Person;

  @PersonRef('assignee_id', 'FK_faults_assignee')
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

  /**
   * When the response clock started again (UTC): set when opsdesk reopens a fault nobody owned back to
   * Reported (an alert fired again, src/monitoring/intake.ts). Null: the response clock runs from `createdAt`.
   */
  @DateColumn('response_started_at', { nullable: true })
  responseStartedAt!: Date | null;
}
