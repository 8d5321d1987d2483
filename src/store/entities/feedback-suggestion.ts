import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntColumn, TextColumn, VarcharColumn } from '../columns.js';
import { Person } from './person.js';
import type { SuggestionTopic } from '../../feedback/rules.js';

/** A suggestion to the IT department (`FB-<id>`); anonymous ones have no author. */
@Entity('feedback_suggestions')
@Index('IDX_feedback_suggestions_created', ['createdAt'])
export class FeedbackSuggestion {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @VarcharColumn('topic', 16)
  topic!: SuggestionTopic;

  @TextColumn('text')
  text!: string;

  @IntColumn('author_id', { nullable: true })
  authorId!: number | null;

  @ManyToOne(() => Person)
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'FK_feedback_suggestions_author' })
  author?: Person;

  /** The platform the author used, so that a reply reaches them there. */
  @VarcharColumn('platform', 16, { nullable: true })
  platform!: string | null;

  @DateColumn('created_at')
  createdAt!: Date;

  @TextColumn('reply', { nullable: true })
  reply!: string | null;

  @IntColumn('replied_by', { nullable: true })
  repliedBy!: number | null;

  @ManyToOne(() => Person)
  @JoinColumn({ name: 'replied_by', foreignKeyConstraintName: 'FK_feedback_suggestions_replied_by' })
  replier?: Person;

  @DateColumn('replied_at', { nullable: true })
  repliedAt!: Date | null;
}
