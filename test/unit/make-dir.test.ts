import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectory, makeDirectorySync } from '../../src/make-dir.js';

describe('makeDirectory', () => {
  it('creates missing parents and accepts an existing folder', async () => {
    const base = mkdtempSync(join(tmpdir(), 'opsdesk-mkdir-'));
    const deep = join(base, 'a', 'b', 'c');
    await makeDirectory(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    await makeDirectory(deep);
    const other = join(base, 'x', 'y');
    makeDirectorySync(other);
    makeDirectorySync(other);
    expect(statSync(other).isDirectory()).toBe(true);
  });

  it('fails with the kernel error under /proc instead of spinning (recursive mkdir never returned there)', async () => {
    const path = `/proc/opsdesk-nope-${process.pid}/reports`;
    await expect(makeDirectory(path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(() => makeDirectorySync(path)).toThrow(/ENOENT/);
    expect(existsSync(path)).toBe(false);
  });

  it('fails with ENOTDIR when a level is a file', async () => {
    const base = mkdtempSync(join(tmpdir(), 'opsdesk-mkdir-'));
    writeFileSync(join(base, 'file'), 'x');
    await expect(makeDirectory(join(base, 'file', 'sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    expect(() => makeDirectorySync(join(base, 'file', 'sub'))).toThrow(/ENOTDIR/);
  });
});
