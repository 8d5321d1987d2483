// Claims outlive the work done under them: the dispatcher renews the claims of a delivery pass while
// the pass runs, so that another replica takes a row over only when its holder died, never because a
// call (a file upload, a slow Slack, a busy start-up), or the calls ahead of a row in its pass, took
// longer than the claim (OUTBOX_CLAIM_SECONDS: 5 s at least, against the Web API client's 10 s
// timeout). An upload has no message metadata to look up afterwards (posted-lookup.ts), so a takeover
// from a live holder was a second copy. The renewal touches only live claims (sql.ts renewLiveClaim).

/** A running renewal: `stop()` ends it and resolves once no renewal is running any more. */
export interface ClaimKeeper {
  stop(): Promise<void>;
}

/**
 * Calls `renew` every third of `ttlMs` (ms) until stopped; a renewal starts only when the previous one
 * has finished. `stop()` waits for a renewal in progress, so that none runs once the pass is over.
 * `renew` may reject: `onError` gets it and renewing goes on. The timer does not keep the process alive.
 */
export function keepClaim(renew: () => Promise<unknown>, ttlMs: number, onError: (error: unknown) => void): ClaimKeeper {
  let running: Promise<void> | undefined;
  const timer = setInterval(
    () => {
      if (running) return;
      running = renew().then(
        () => undefined,
        (error: unknown) => onError(error),
      );
      void running.finally(() => (running = undefined));
    },
    Math.max(1, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
