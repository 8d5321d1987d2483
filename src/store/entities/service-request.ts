import { Entity, Index } from 'typeorm';
import { DateColumn, IntColumn, TextColumn, VarcharColumn } from '../columns.js';
import type { Person } from './person.js';
import { PersonRef } from './person-ref.js';
import { AssignedRecord } from './assigned-record.js';
import type { Level } from '../../faults/rules.js';
import type { RequestState } from '../../requests/rules.js';

/** A service request (policy 4.3); its id is the number in `REQ-<id>`. */
@Entity('service_requests')
@Index('IDX_service_requests_state', ['state'])
@Index('IDX_service_requests_requester', ['requesterId'])
@Index('IDX_service_requests_next_reminder', ['nextReminderAt'])
@Index('IDX_service_requests_created', ['createdAt'])
export class ServiceRequest extends AssignedRecord {
  @TextColumn('details', { nullable: true })
  details!: string | null;

  /** A type from the request catalog (setting `request_catalog`), e.g. `access`. */
  @VarcharColumn('request_type', 32)
  requestType!: string;

  @IntColumn('importance')
  importance!: Level;

  @IntColumn('urgency')
  urgency!: Level;

  declare state: RequestState;

  @IntColumn('requester_id')
  requesterId!: number;

  @PersonRef('requester_id', 'FK_service_requests_requester')
  requester?: Person;

  /** The platform the requester used, so that DMs reach them where they are. */
  @VarcharColumn('requester_platform', 16)
  requesterPlatform!: string;

  /** Whom it is for, when not the requester themselves. */
  @IntColumn('beneficiary_id', { nullable: true })
  beneficiaryId!: number | null;

  @PersonRef('beneficiary_id', 'FK_service_requests_beneficiary')
  beneficiary?: Person;

  @PersonRef('assignee_id', 'FK_service_requests_assignee')
  assignee?: Person;

  /** What was done, written when fulfilling. */
  @TextColumn('fulfilment', { nullable: true })
  fulfilment!: string | null;

  @DateColumn('assigned_at', { nullable: true })
  assignedAt!: Date | null;

  @DateColumn('fulfilled_at', { nullable: true })
  fulfilledAt!: Date | null;
}
