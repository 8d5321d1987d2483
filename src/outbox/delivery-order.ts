// The order in which a dispatcher delivers the rows it claimed (kept apart from the dispatcher's I/O).
import type { ClaimedRow } from './claims.js';
import type { OutboxMessage } from '../store/entities/index.js';

function groupOf(row: OutboxMessage): string {
  return JSON.stringify([row.messageKey, row.platform, row.targetId]);
}

/**
 * Claimed rows in the order to deliver them: by id, except that a keyed message is delivered once,
 * in its newest claimed version, at the place of its oldest (the older versions are superseded).
 */
export function inDeliveryOrder(claimed: readonly ClaimedRow[]): ClaimedRow[] {
  const order: ClaimedRow[] = [];
  const slotOf = new Map<string, number>();
  for (const claim of claimed) {
    if (claim.row.messageKey === null) {
      order.push(claim);
      continue;
    }
    const group = groupOf(claim.row);
    const slot = slotOf.get(group);
    if (slot === undefined) {
      slotOf.set(group, order.length);
      order.push(claim);
    } else order[slot] = claim;
  }
  return order;
}
