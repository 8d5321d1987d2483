import { AuditEntry } from './audit-entry.js';
import { FaultEvent } from './fault-event.js';
import { Fault } from './fault.js';
import { Identity } from './identity.js';
import { JobLease } from './job-lease.js';
import { MessageRef } from './message-ref.js';
import { OutboxMessage } from './outbox-message.js';
import { Person } from './person.js';
import { RoleGrant } from './role-grant.js';
import { Setting } from './setting.js';

export { AuditEntry, Fault, FaultEvent, Identity, JobLease, MessageRef, OutboxMessage, Person, RoleGrant, Setting };

export const ENTITIES = [Person, Identity, RoleGrant, Fault, FaultEvent, Setting, AuditEntry, OutboxMessage, MessageRef, JobLease];
