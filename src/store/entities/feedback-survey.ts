import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntColumn, TextColumn, VarcharColumn } from '../columns.js';
import { Person } from './person.js';
import type { SurveyRecordType } from '../../feedback/rules.js';

/**
 * A satisfaction survey about one resolved record (policy 5.3), sent once: (record_type, record_id)
 * is unique. The rating is kept here and counts for the engineer who resolved the record.
 */
@Entity('feedback_surveys')
@Index('UQ_feedback_surveys_record', ['recordType', 'recordId'], { unique: true })
@Index('IDX_feedback_surveys_closes', ['closedAt', 'closesAt'])
@Index('IDX_feedback_surveys_created', ['createdAt'])
@Index('IDX_feedback_surveys_resolver', ['resolverId'])
export class FeedbackSurvey {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @VarcharColumn('record_type', 16)
  recordType!: SurveyRecordType;

  @IntColumn('record_id')
  recordId!: number;

  /** The record's title when it was resolved, for the DM and the summaries. */
  @VarcharColumn('record_title', 150)
  recordTitle!: string;

  @IntColumn('respondent_id')
  respondentId!: number;

  @ManyToOne(() => Person)
  @JoinColumn({ name: 'respondent_id', foreignKeyConstraintName: 'FK_feedback_surveys_respondent' })
  respondent?: Person;

  @IntColumn('resolver_id', { nullable: true })
  resolverId!: number | null;

  @ManyToOne(() => Person)
  @JoinColumn({ name: 'resolver_id', foreignKeyConstraintName: 'FK_feedback_surveys_resolver' })
  resolver?: Person;

  /** The platform the respondent used for the record, so that the DM reaches them there. */
  @VarcharColumn('platform', 16)
  platform!: string;

  @IntColumn('rating', { nullable: true })
  rating!: number | null;

  @TextColumn('comment', { nullable: true })
  comment!: string | null;

  @DateColumn('created_at')
  createdAt!: Date;

  @DateColumn('closes_at')
  closesAt!: Date;

  @DateColumn('rated_at', { nullable: true })
  ratedAt!: Date | null;

  @DateColumn('closed_at', { nullable: true })
  closedAt!: Date | null;
}
