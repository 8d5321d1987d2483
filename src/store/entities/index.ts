import { AuditEntry } from './audit-entry.js';
import { ChangeApproval } from './change-approval.js';
import { ChangeNotice } from './change-notice.js';
import { Change } from './change.js';
import { DiscordFormDraft } from './discord-form-draft.js';
import { FeedbackBallot } from './feedback-ballot.js';
import { FeedbackPoll } from './feedback-poll.js';
import { FeedbackSuggestion } from './feedback-suggestion.js';
import { FeedbackSurvey } from './feedback-survey.js';
import { Fault } from './fault.js';
import { Identity } from './identity.js';
import { JobLease } from './job-lease.js';
import { LinkCode } from './link-code.js';
import { MessageRef } from './message-ref.js';
import { OutboxMessage } from './outbox-message.js';
import { Person } from './person.js';
import { RoleGrant } from './role-grant.js';
import { Setting } from './setting.js';
import { OnCallOverride } from './oncall-override.js';
import { OnCallRotation } from './oncall-rotation.js';
import { RecordEvent } from './record-event.js';
import { ServiceRequest } from './service-request.js';
import { SlaNotice } from './sla-notice.js';

export { AuditEntry, Change, ChangeApproval, ChangeNotice, DiscordFormDraft, LinkCode, Fault, FeedbackBallot, FeedbackPoll, FeedbackSuggestion, FeedbackSurvey, Identity, JobLease, MessageRef, OutboxMessage, Person, RoleGrant, Setting };
export { OnCallOverride, OnCallRotation, ServiceRequest, RecordEvent, SlaNotice };

export const ENTITIES = [Person, Identity, RoleGrant, Fault, Setting, AuditEntry, OutboxMessage, MessageRef, JobLease, Change, ChangeApproval, ChangeNotice, FeedbackSurvey, FeedbackPoll, FeedbackBallot, FeedbackSuggestion, SlaNotice, OnCallRotation, OnCallOverride, ServiceRequest, RecordEvent, LinkCode, DiscordFormDraft];
export type { EventDetails } from './record-event.js';
