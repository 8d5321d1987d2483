import { formatFaultId } from './rules.js';
import type { RecordKind } from '../records/kind.js';
import { Fault } from '../store/entities/index.js';

/** Faults as the lifecycle kernel knows them: `fault` in timelines and the audit log, `INC-<id>` to people. */
export const FAULT_RECORD: RecordKind<Fault> = {
  kind: 'fault',
  entity: Fault,
  label: formatFaultId,
  notFound: 'faults.error.notFound',
  changedMeanwhile: 'faults.error.changedMeanwhile',
  snapshot: (fault) => ({
    state: fault.state,
    priority: fault.priority,
    assigneeId: fault.assigneeId,
    rootCause: fault.rootCause,
    resolutionSteps: fault.resolutionSteps,
  }),
};
