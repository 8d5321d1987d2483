// Letting other requests in while one large webhook body is handled. On SQLite the intake's statements
// run synchronously (sql.ts), and JSON.parse and the schema check are synchronous too, so a body of
// thousands of alerts (WEBHOOK_MAX_BYTES allows 10 MiB; MAX_ALERTS_PER_BODY takes 10,000 alerts) held
// the event loop for its whole handling: /healthz, /readyz and chat requests waited behind it, long
// enough on a loaded machine for a liveness probe to fail (bench/big-alert-body.ts).

/** Alerts handled between two turns of the event loop: a few milliseconds of work each. */
export const ALERTS_PER_TURN = 100;

/**
 * Bodies above this size (bytes) give way between the steps of their parsing; smaller ones, the usual
 * case (bench/alerts.ts sends 1 and 100 alerts), are not slowed down by the extra turns.
 */
export const GIVE_WAY_BYTES = 256 * 1024;

/**
 * Resolves on a later turn of the event loop, after the I/O waiting meanwhile has been served
 * (setImmediate runs after the poll phase, unlike a resolved promise, which runs before any I/O).
 */
export function giveWay(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/** `items` in slices of `size`, in order: for loops that give way between slices. */
export function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
