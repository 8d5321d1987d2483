import { formatRequestId } from './rules.js';
import type { RecordKind } from '../records/kind.js';
import { ServiceRequest } from '../store/entities/index.js';

/** Service requests as the lifecycle kernel knows them: `request` in timelines and the audit log, `REQ-<id>` to people. */
export const REQUEST_RECORD: RecordKind<ServiceRequest> = {
  kind: 'request',
  entity: ServiceRequest,
  label: formatRequestId,
  notFound: 'requests.error.notFound',
  changedMeanwhile: 'requests.error.changedMeanwhile',
  snapshot: (request) => ({ state: request.state, priority: request.priority, assigneeId: request.assigneeId, fulfilment: request.fulfilment }),
};
