import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kpiCsvName, saveReportFile } from '../../src/reports/files.js';
import { fileNamePart } from '../../src/reports/kpi-message.js';

describe('KPI CSV files', () => {
  it('names the person id and both ends of the period, so different answers get different names', () => {
    const week = kpiCsvName(7, fileNamePart('li.wei'), new Date('2026-11-23T00:00:00Z'), new Date('2026-11-30T00:00:00Z'), 'UTC');
    const twoDays = kpiCsvName(7, fileNamePart('li.wei'), new Date('2026-11-23T00:00:00Z'), new Date('2026-11-25T00:00:00Z'), 'UTC');
    const other = kpiCsvName(8, fileNamePart('li_wei'), new Date('2026-11-23T00:00:00Z'), new Date('2026-11-30T00:00:00Z'), 'UTC');
    expect(week).toBe('kpi-p7-li_wei-2026-11-23-2026-11-29.csv');
    expect(twoDays).toBe('kpi-p7-li_wei-2026-11-23-2026-11-24.csv');
    expect(other).toBe('kpi-p8-li_wei-2026-11-23-2026-11-29.csv');
    expect(kpiCsvName(null, 'x', new Date('2026-11-22T16:00:00Z'), new Date('2026-11-29T16:00:00Z'), 'Asia/Shanghai')).toBe('kpi-team-2026-11-23-2026-11-29.csv');
  });

  it('never overwrites an existing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsdesk-report-files-'));
    const first = saveReportFile({ name: 'kpi-team-a.csv', mime: 'text/csv', bytes: Buffer.from('one') }, dir);
    const second = saveReportFile({ name: 'kpi-team-a.csv', mime: 'text/csv', bytes: Buffer.from('two') }, dir);
    const third = saveReportFile({ name: 'kpi-team-a.csv', mime: 'text/csv', bytes: Buffer.from('three') }, dir);
    expect([first, second, third]).toEqual([join(dir, 'kpi-team-a.csv'), join(dir, 'kpi-team-a-2.csv'), join(dir, 'kpi-team-a-3.csv')]);
    expect(readFileSync(first, 'utf8')).toBe('one');
    expect(readFileSync(second, 'utf8')).toBe('two');
  });
});
