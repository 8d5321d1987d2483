import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntColumn, TextColumn, VarcharColumn } from '../columns.js';
import { Change } from './change.js';
import { Person } from './person.js';

/**
 * One approver's decision on one change. The unique index makes a second decision by the same
 * person impossible at the database level, whatever the timing of the clicks.
 */
@Entity('change_approvals')
@Index('UQ_change_approvals_change_approver', ['changeId', 'approverId'], { unique: true })
export class ChangeApproval {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @IntColumn('change_id')
  changeId!: number;

  @ManyToOne(() => Change, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'change_id', foreignKeyConstraintName: 'FK_change_approvals_change' })
  change?: Change;

  @IntColumn('approver_id')
  approverId!: number;

  @ManyToOne(() => Person)
  @JoinColumn({ name: 'approver_id', foreignKeyConstraintName: 'FK_change_approvals_approver' })
  approver?: Person;

  @VarcharColumn('decision', 10)
  decision!: 'approved' | 'rejected';

  /** Whether the approver held the manager role when deciding (high-risk and emergency changes need one). */
  @IntColumn('as_manager')
  asManager!: number;

  @TextColumn('comment', { nullable: true })
  comment!: string | null;

  @DateColumn('created_at')
  createdAt!: Date;
}
