import { Entity, Index } from 'typeorm';
import { DateColumn, IntColumn, TextColumn, VarcharColumn } from '../columns.js';
import type { Person } from './person.js';
import { PersonRef } from './person-ref.js';
import { RecordColumns } from './record-columns.js';
import type { ChangeRisk, ChangeState, ChangeType } from '../../changes/rules.js';

/** A change request (policy 4.2); its id is the number in `CHG-<id>`. */
@Entity('changes')
@Index('IDX_changes_state', ['state'])
@Index('IDX_changes_window', ['windowStart', 'windowEnd'])
export class Change extends RecordColumns {
  @TextColumn('content')
  content!: string;

  @TextColumn('reason')
  reason!: string;

  @TextColumn('expected_impact')
  expectedImpact!: string;

  @VarcharColumn('risk', 8)
  risk!: ChangeRisk;

  @VarcharColumn('type', 12)
  type!: ChangeType;

  @TextColumn('test_plan', { nullable: true })
  testPlan!: string | null;

  @TextColumn('rollback_plan', { nullable: true })
  rollbackPlan!: string | null;

  @DateColumn('window_start')
  windowStart!: Date;

  @DateColumn('window_end')
  windowEnd!: Date;

  /** Affected configuration items or systems, comma-separated as the requester named them. */
  @VarcharColumn('config_items', 500)
  configItems!: string;

  declare state: ChangeState;

  /** The policy in force when the change was submitted: how many approvals, and whether a manager must be one. */
  @IntColumn('approvals_required')
  approvalsRequired!: number;

  @IntColumn('manager_required')
  managerRequired!: number;

  @IntColumn('requester_id')
  requesterId!: number;

  @PersonRef('requester_id', 'FK_changes_requester')
  requester?: Person;

  /** The platform the requester used, so that DMs reach people where they are. */
  @VarcharColumn('requester_platform', 16)
  requesterPlatform!: string;

  @IntColumn('implementer_id')
  implementerId!: number;

  @PersonRef('implementer_id', 'FK_changes_implementer')
  implementer?: Person;

  /** When the approvers' decision was reached (approved or rejected). */
  @DateColumn('decided_at', { nullable: true })
  decidedAt!: Date | null;

  @DateColumn('started_at', { nullable: true })
  startedAt!: Date | null;

  @DateColumn('ended_at', { nullable: true })
  endedAt!: Date | null;

  /** What happened, for a failed or rolled-back implementation. */
  @TextColumn('outcome_note', { nullable: true })
  outcomeNote!: string | null;

  @IntColumn('reviewed_by', { nullable: true })
  reviewedBy!: number | null;

  @PersonRef('reviewed_by', 'FK_changes_reviewer')
  reviewer?: Person;

  @DateColumn('reviewed_at', { nullable: true })
  reviewedAt!: Date | null;

  @TextColumn('review_note', { nullable: true })
  reviewNote!: string | null;
}
