// Creating a folder and its missing parents without `recursive: true`: Node 20's recursive mkdir
// never returns when the kernel answers ENOENT for a folder whose parent exists (a path under /proc,
// a read-only pseudo file system), and spins the CPU instead (issue #13, REPORT_DIR=/proc/nope).
// Here each missing level is created once, so such a path fails with the kernel's error.
import { mkdirSync, statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

function codeOf(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function notADirectory(path: string): Error {
  return Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${path}'`), { code: 'ENOTDIR' });
}

/** The levels of `dir` (absolute, outermost first) that do not exist yet; throws ENOTDIR when a level is a file. */
function missingLevels(dir: string, exists: (path: string) => boolean | undefined): string[] {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    const found = exists(current);
    if (found === true) break;
    if (found === false) throw notADirectory(current);
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return missing.reverse();
}

/**
 * Creates `dir` and its missing parents. Throws the file system's error (ENOENT, EACCES, EROFS,
 * ENOTDIR) when a level cannot be created; an existing folder is fine.
 */
export function makeDirectorySync(dir: string): void {
  const levels = missingLevels(dir, (path) => {
    try {
      return statSync(path).isDirectory();
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return undefined;
      throw error;
    }
  });
  for (const level of levels) {
    try {
      mkdirSync(level);
    } catch (error) {
      // Created meanwhile by another process: fine when it is a folder.
      if (codeOf(error) !== 'EEXIST' || !statSync(level).isDirectory()) throw error;
    }
  }
}

/** makeDirectorySync without blocking the event loop; same errors. */
export async function makeDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let current = resolve(dir); ; current = dirname(current)) {
    try {
      if (!(await stat(current)).isDirectory()) throw notADirectory(current);
      break;
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') throw error;
      missing.unshift(current);
    }
    if (dirname(current) === current) break;
  }
  for (const level of missing) {
    try {
      await mkdir(level);
    } catch (error) {
      if (codeOf(error) !== 'EEXIST' || !(await stat(level)).isDirectory()) throw error;
    }
  }
}
