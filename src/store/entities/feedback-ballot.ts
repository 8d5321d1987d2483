import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { IntColumn } from '../columns.js';
import { FeedbackPoll } from './feedback-poll.js';

/**
 * One anonymous vote of an open poll. `voter_key` is HMAC-SHA256(secret, pollId:personId): a second
 * click replaces the vote, and no column names the person. No timestamp either, so that a ballot
 * cannot be matched to someone's activity by time. Deleted when the poll closes.
 */
@Entity('feedback_ballots')
export class FeedbackBallot {
  @PrimaryColumn({ name: 'poll_id', type: 'integer' })
  pollId!: number;

  @ManyToOne(() => FeedbackPoll, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'poll_id', foreignKeyConstraintName: 'FK_feedback_ballots_poll' })
  poll?: FeedbackPoll;

  @PrimaryColumn({ name: 'voter_key', type: 'varchar', length: 64 })
  voterKey!: string;

  @IntColumn('choice')
  choice!: number;
}
