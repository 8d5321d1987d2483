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

/**
 * The lane of a row: rows in one lane are delivered one after another, lanes side by side. Platform
 * and target id, not the target kind: a keyed message's versions are grouped (and superseded, and
 * their ref stored) by key, platform and target id alone (groupOf, sql.ts), so a kind in the lane
 * would let two rows of one group run at once if a key were ever reused for a DM and a Home view
 * of the same person. Without the kind, such a DM and Home view share a lane, which costs nothing.
 */
function laneOf(row: OutboxMessage): string {
  return JSON.stringify([row.platform, row.targetId]);
}

/**
 * inDeliveryOrder split by target: one lane per platform and target id, each in delivery order, the
 * lanes in the order of their first row. Rows for one target (so also every version of a keyed
 * message) keep their order; rows for different targets no longer wait for each other.
 */
export function inDeliveryLanes(claimed: readonly ClaimedRow[]): ClaimedRow[][] {
  const lanes = new Map<string, ClaimedRow[]>();
  for (const claim of inDeliveryOrder(claimed)) {
    const lane = laneOf(claim.row);
    const rows = lanes.get(lane);
    if (rows) rows.push(claim);
    else lanes.set(lane, [claim]);
  }
  return [...lanes.values()];
}
