// Code that must learn, inside the same transaction, that a record changed: every state change of
// every record kind is audited (policy 3.2), so the audit append is the one narrow point to watch.
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditInput } from './chain.js';

/** Runs inside the transaction that appended the entry; a throw rolls the whole change back. */
export type AuditObserver = (manager: EntityManager, now: Date, input: AuditInput) => Promise<void>;

// Keyed by DataSource so that several stores in one process (tests) never see each other's entries.
const observers = new WeakMap<DataSource, AuditObserver[]>();

/** Calls `observer` after every audit entry appended through this data source, until the returned function is called. */
export function observeAudit(dataSource: DataSource, observer: AuditObserver): () => void {
  const list = observers.get(dataSource) ?? [];
  list.push(observer);
  observers.set(dataSource, list);
  return () => {
    const current = observers.get(dataSource) ?? [];
    observers.set(
      dataSource,
      current.filter((o) => o !== observer),
    );
  };
}

/** Tells the observers of the manager's data source about one appended entry. */
export async function notifyAuditObservers(manager: EntityManager, now: Date, input: AuditInput): Promise<void> {
  for (const observer of observers.get(manager.connection) ?? []) await observer(manager, now, input);
}
