import { formatChangeId } from './rules.js';
import type { RecordKind } from '../records/kind.js';
import { Change } from '../store/entities/index.js';

/** What the audit log keeps of a change before and after a step. */
export function snapshot(change: Change) {
  return {
    state: change.state,
    implementerId: change.implementerId,
    decidedAt: change.decidedAt?.toISOString() ?? null,
    startedAt: change.startedAt?.toISOString() ?? null,
    endedAt: change.endedAt?.toISOString() ?? null,
    outcomeNote: change.outcomeNote,
    reviewedBy: change.reviewedBy,
    reviewNote: change.reviewNote,
  };
}

/** Changes as the lifecycle kernel knows them: `change` in timelines and the audit log, `CHG-<id>` to people. */
export const CHANGE_RECORD: RecordKind<Change> = {
  kind: 'change',
  entity: Change,
  label: formatChangeId,
  notFound: 'changes.error.notFound',
  changedMeanwhile: 'changes.error.changedMeanwhile',
  snapshot,
};
