import { describe, expect, it } from 'vitest';
import { translator } from '../../src/chat/i18n/catalog.js';
import { CHART_HEIGHT, CHART_WIDTH, chartOption, chartSvg, rasterise, renderChart, renderChartAsync, type ChartData } from '../../src/reports/chart.js';

const data: ChartData = {
  period: '2026-12-21 – 2027-01-03',
  weeks: [
    { label: '12-07', opened: 12, resolved: 9 },
    { label: '12-14', opened: 15, resolved: 14 },
    { label: '12-21', opened: 8, resolved: 11 },
    { label: '12-28', opened: 10, resolved: 10 },
  ],
  priorities: [
    { priority: 'P1', resolved: 2, compliance: 0.5 },
    { priority: 'P2', resolved: 5, compliance: 0.8 },
    { priority: 'P3', resolved: 20, compliance: 0.95 },
    { priority: 'P4', resolved: 0, compliance: null },
  ],
};

/** Width and height from the IHDR chunk, after checking the PNG signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  expect(png.subarray(png.length - 8, png.length - 4).toString('ascii')).toBe('IEND');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Dark pixels inside a rectangle of an RGBA raster. */
function ink(svg: string, box: { x: number; y: number; w: number; h: number }): number {
  const image = rasterise(svg);
  const pixels = image.pixels;
  let dark = 0;
  for (let y = box.y; y < box.y + box.h; y++) {
    for (let x = box.x; x < box.x + box.w; x++) {
      const i = (y * image.width + x) * 4;
      if ((pixels[i] ?? 255) + (pixels[i + 1] ?? 255) + (pixels[i + 2] ?? 255) < 384) dark++;
    }
  }
  return dark;
}

// The left title: "每周新建与解决 · …" in zh-CN.
const TITLE_BOX = { x: 0, y: 0, w: 560, h: 40 };
const withTitle = (text: string) => {
  const option = chartOption(data, translator('zh-CN'));
  const titles = option.title as { text: string }[];
  return chartSvg({ ...option, title: [{ ...titles[0], text }, { ...titles[1], text: '' }] });
};

describe('report chart', { timeout: 120_000 }, () => {
  it.each(['en', 'zh-CN'] as const)('is a valid PNG of the expected size in %s', (locale) => {
    const png = renderChart(data, translator(locale));
    expect(pngSize(png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(png.length).toBeGreaterThan(10_000);
  });

  it('draws the same PNG off the event loop (renderChartAsync) as on it', async () => {
    const t = translator('zh-CN');
    expect((await renderChartAsync(data, t)).equals(renderChart(data, t))).toBe(true);
  });

  it('labels in the reader language', () => {
    expect(chartSvg(chartOption(data, translator('zh-CN')))).toContain('每周新建与解决');
    expect(chartSvg(chartOption(data, translator('en')))).toContain('Opened vs resolved per week');
  });

  it('really draws the Chinese title: ink where the label is, none without it, glyphs rather than missing-glyph boxes', () => {
    const blank = ink(withTitle(''), TITLE_BOX);
    const chinese = ink(withTitle('每周新建与解决'), TITLE_BOX);
    expect(blank).toBe(0);
    expect(chinese).toBeGreaterThan(400);
    // One line of text in the chart's font: distinct characters draw distinct shapes, whereas
    // characters no font here has (private use area) would all draw the same box.
    const line = (text: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="40"><text x="4" y="28" font-family="Noto Sans SC" font-size="20">${text}</text></svg>`;
    const box = { x: 0, y: 0, w: 300, h: 40 };
    const strokes = ink(line('一一一一一一一'), box);
    const dense = ink(line('警鑫赢蠢魔罐馨'), box);
    const missingA = ink(line('\uE000\uE000\uE000\uE000\uE000\uE000\uE000'), box);
    const missingB = ink(line('\uE001\uE002\uE003\uE004\uE005\uE006\uE007'), box);
    expect(strokes).toBeGreaterThan(0);
    expect(dense).toBeGreaterThan(strokes * 3);
    expect(Math.abs(missingA - missingB)).toBeLessThanOrEqual(missingA * 0.05);
  });
});
