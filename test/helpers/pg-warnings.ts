// pg (8.19 and later) warns, once per process, when a query is sent on a connection that is still
// running one: queries started together (Promise.all) on a transaction's manager queue on its single
// connection, and pg 9 will refuse them. The warning alone scrolls by in CI's log; the test file during
// which it appeared fails instead (close-stores.ts).

const OVERLAP = 'already executing a query';
const SEEN = Symbol.for('opsdesk.test.pgOverlapWarnings');
const shared = globalThis as { [SEEN]?: string[] };

// One listener and one list per process, kept on globalThis: test files share their worker's process
// (vitest `isolate: false`), and this module may be evaluated again for another file.
function seenList(): string[] {
  let seen = shared[SEEN];
  if (!seen) {
    const list: string[] = [];
    shared[SEEN] = seen = list;
    process.on('warning', (warning) => {
      if (warning.message.includes(OVERLAP)) list.push(warning.stack ?? warning.message);
    });
  }
  return seen;
}
seenList();

/** The overlapping-query warnings seen since the last call (stack traces where Node gave them), then forgets them. */
export function takeOverlappingQueryWarnings(): string[] {
  return seenList().splice(0);
}
