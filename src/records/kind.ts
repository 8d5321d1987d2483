import type { EntityTarget } from 'typeorm';
import type { MessageKey } from '../chat/i18n/catalog.js';
import type { Versioned } from '../store/versioned.js';

/** What the kernel needs of every record: an id, an optimistic version and a state. */
export interface LifecycleRecord extends Versioned {
  state: string;
}

/**
 * What makes a record kind (fault, service request, change, …) known to the lifecycle kernel. A new
 * kind writes one of these beside its entity and rules; the timeline, audit, versioning and outbox
 * steps come from the kernel.
 */
export interface RecordKind<R extends LifecycleRecord> {
  /** The kind in `record_events.record_kind` and the audit log's record type; the prefix of audit actions. */
  kind: string;
  entity: EntityTarget<R>;
  /** The id people see, e.g. `INC-4`. */
  label(id: number): string;
  /** Shown when the id names no record; gets {id}. */
  notFound: MessageKey;
  /** Shown when someone else changed the record between reading and writing; gets {id}. */
  changedMeanwhile: MessageKey;
  /** What the audit log keeps of the record before and after a step. */
  snapshot(record: R): Record<string, unknown>;
}
