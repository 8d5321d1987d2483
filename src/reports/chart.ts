// The report chart (issue #13, UX.md Reports): a weekly trend of opened vs resolved records and the
// priority breakdown with SLA compliance, drawn as SVG by ECharts' server-side renderer and turned
// into a PNG by resvg, with Noto Sans SC from its npm package: no browser, no system fonts, no
// download at run time, and Chinese labels draw as Chinese.
import { createRequire } from 'node:module';
import { Resvg, renderAsync, type RenderedImage, type ResvgRenderOptions } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { Translate } from '../chat/i18n/catalog.js';

const require = createRequire(import.meta.url);
/** Resolved once: the font file inside node_modules (about 10 MB; resvg reads it per render). */
export const CHART_FONT_FILE: string = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
const FONT_FAMILY = 'Noto Sans SC';

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 520;

/** UX.md: at most six colours that stay apart for colour-blind readers. */
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7'];

export interface WeekPoint {
  /** As shown on the axis: the Monday of a whole week (`12-21`), the days of a partial one (`12-01–12-06`). */
  label: string;
  opened: number;
  resolved: number;
}

export interface PriorityPoint {
  priority: string;
  /** Records resolved in the period at this priority. */
  resolved: number;
  /** 0..1; null when none resolved. */
  compliance: number | null;
}

export interface ChartData {
  /** The period as shown in the title, e.g. `2026-12-21 – 2027-01-03`. */
  period: string;
  weeks: WeekPoint[];
  priorities: PriorityPoint[];
}

/** The ECharts option of the two panels; exported for tests of the labels. */
export function chartOption(data: ChartData, t: Translate): echarts.EChartsOption {
  const text = { fontFamily: FONT_FAMILY, color: '#222222', fontSize: 14 };
  return {
    animation: false,
    backgroundColor: '#ffffff',
    color: COLOURS,
    textStyle: text,
    title: [
      { text: t('reports.chart.trendTitle', { period: data.period }), left: '3%', top: 8, textStyle: { ...text, fontSize: 18 } },
      { text: t('reports.chart.priorityTitle'), left: '53%', top: 8, textStyle: { ...text, fontSize: 18 } },
    ],
    legend: { bottom: 6, textStyle: text },
    grid: [
      { left: '5%', right: '53%', top: 80, bottom: 70, containLabel: true },
      { left: '53%', right: '5%', top: 80, bottom: 70, containLabel: true },
    ],
    // Every week keeps its label (interval 0): at most 8 (weekly) or 6 (a month) fit the panel, and a
    // dropped label would leave a bar no reader can name.
    xAxis: [
      { type: 'category', gridIndex: 0, data: data.weeks.map((w) => w.label), name: t('reports.chart.weekAxis'), nameLocation: 'middle', nameGap: 28, axisLabel: { ...text, interval: 0 }, nameTextStyle: text },
      { type: 'category', gridIndex: 1, data: data.priorities.map((p) => p.priority), name: t('reports.chart.priorityAxis'), nameLocation: 'middle', nameGap: 28, axisLabel: text, nameTextStyle: text },
    ],
    yAxis: [
      { type: 'value', gridIndex: 0, name: t('reports.chart.recordsAxis'), minInterval: 1, axisLabel: text, nameTextStyle: text },
      { type: 'value', gridIndex: 1, name: t('reports.chart.recordsAxis'), minInterval: 1, axisLabel: text, nameTextStyle: text },
      { type: 'value', gridIndex: 1, name: t('reports.chart.complianceAxis'), min: 0, max: 100, position: 'right', axisLabel: { ...text, formatter: '{value} %' }, nameTextStyle: text },
    ],
    series: [
      { type: 'line', name: t('reports.chart.opened'), xAxisIndex: 0, yAxisIndex: 0, data: data.weeks.map((w) => w.opened), symbolSize: 8, lineStyle: { width: 3 } },
      { type: 'line', name: t('reports.chart.resolved'), xAxisIndex: 0, yAxisIndex: 0, data: data.weeks.map((w) => w.resolved), symbolSize: 8, lineStyle: { width: 3 } },
      { type: 'bar', name: t('reports.chart.resolvedByPriority'), xAxisIndex: 1, yAxisIndex: 1, data: data.priorities.map((p) => p.resolved), label: { show: true, position: 'top', ...text } },
      {
        type: 'line',
        name: t('reports.chart.compliance'),
        xAxisIndex: 1,
        yAxisIndex: 2,
        data: data.priorities.map((p) => (p.compliance === null ? null : Math.round(p.compliance * 1000) / 10)),
        symbolSize: 10,
        lineStyle: { width: 3 },
      },
    ],
  };
}

/** The chart as SVG text (CHART_WIDTH x CHART_HEIGHT px). */
export function chartSvg(option: echarts.EChartsOption): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height: CHART_HEIGHT });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    // Without it the SSR instance keeps a timer and the process would not exit.
    chart.dispose();
  }
}

const RESVG_OPTIONS: ResvgRenderOptions = { font: { fontFiles: [CHART_FONT_FILE], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY }, background: '#ffffff' };

/** Rasterises SVG with the bundled font only (system fonts are never loaded); `.asPng()` encodes it. */
export function rasterise(svg: string): RenderedImage {
  return new Resvg(svg, RESVG_OPTIONS).render();
}

export function svgToPng(svg: string): Buffer {
  return rasterise(svg).asPng();
}

/**
 * renderChart with the rasterising (a few hundred ms, the bulk of the work) on a libuv worker thread
 * (resvg's renderAsync): the event loop stays free, so a chat command's 3-second acknowledgement
 * (PLATFORM-FACTS.md) is not held up while the chart is drawn.
 */
export async function renderChartAsync(data: ChartData, t: Translate): Promise<Buffer> {
  return (await renderAsync(chartSvg(chartOption(data, t)), RESVG_OPTIONS)).asPng();
}

/** The report chart as a PNG of CHART_WIDTH x CHART_HEIGHT px, labelled in the reader's language. */
export function renderChart(data: ChartData, t: Translate): Buffer {
  return svgToPng(chartSvg(chartOption(data, t)));
}
