import { DateColumn, IntColumn, VarcharColumn } from '../columns.js';
import { SlaTracked } from './sla-tracked.js';
import type { Priority } from '../../faults/rules.js';

/**
 * A record that is worked on by one assignee under an SLA (faults, service requests): the SLA
 * columns, its priority (P1-P4, policy 3.4), who has it, and when it was closed. Each entity declares
 * its own `assignee` relation, so that its foreign key keeps its table's name.
 */
export abstract class AssignedRecord extends SlaTracked {
  @VarcharColumn('priority', 2)
  priority!: Priority;

  @IntColumn('assignee_id', { nullable: true })
  assigneeId!: number | null;

  @DateColumn('closed_at', { nullable: true })
  closedAt!: Date | null;
}
