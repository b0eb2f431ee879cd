import type { ReportTable } from '#shared/api/reports';
import type { ChartOption } from '../stats/EChart';

type Row = ReportTable['rows'][number];

const GRID = { left: 56, right: 56, top: 48, bottom: 56 };
const BAR = { type: 'bar', barMaxWidth: 40 } as const;
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
/** Long item names (编码 + 名称) are cut on the axis; the tooltip shows them whole. */
const categoryAxis = (data: string[]) => ({
  type: 'category',
  data,
  axisLabel: { interval: 0, rotate: data.length > 6 ? 30 : 0, width: 120, overflow: 'truncate' },
});

/** Accepted, finished and open cases per item of the period (业务日报). */
function dailyOption(rows: readonly Row[]): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: GRID,
    xAxis: categoryAxis(rows.map((r) => String(r.item))),
    yAxis: { type: 'value', name: '件', minInterval: 1 },
    series: [
      { ...BAR, name: '受理', data: rows.map((r) => num(r.accepted)) },
      { ...BAR, name: '办结', data: rows.map((r) => num(r.finished)) },
      { ...BAR, name: '在办', data: rows.map((r) => num(r.open)) },
    ],
  };
}

/** One line per item across the days of the period, a day without cases of an item counting 0 (事项办理量). */
function volumesOption(rows: readonly Row[]): ChartOption {
  const dates = [...new Set(rows.map((r) => String(r.date)))].sort();
  const items = [...new Set(rows.map((r) => String(r.item)))].sort();
  const count = new Map(rows.map((r) => [`${String(r.date)}|${String(r.item)}`, num(r.count)]));
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    grid: GRID,
    xAxis: { type: 'category', data: dates },
    yAxis: { type: 'value', name: '件', minInterval: 1 },
    series: items.map((item) => ({ name: item, type: 'line', data: dates.map((d) => count.get(`${d}|${item}`) ?? 0) })),
  };
}

/** The amounts of the period per insurance, in yuan (integer fen / 100 prints exactly to two decimals) (分险种金额). */
function amountsOption(rows: readonly Row[]): ChartOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}：{c} 元（{d}%）' },
    legend: { bottom: 0 },
    series: [
      {
        name: '金额',
        type: 'pie',
        radius: ['35%', '65%'],
        label: { formatter: '{b}\n{d}%' },
        data: rows.map((r) => ({ name: String(r.insurance), value: num(r.fen) / 100 })),
      },
    ],
  };
}

/** Cases and bad reviews per teller, and their average handling time on the right axis (柜员绩效). */
function tellersOption(rows: readonly Row[]): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: GRID,
    xAxis: categoryAxis(rows.map((r) => String(r.teller))),
    yAxis: [
      { type: 'value', name: '件', minInterval: 1 },
      { type: 'value', name: '分钟' },
    ],
    series: [
      { ...BAR, name: '受理件数', data: rows.map((r) => num(r.accepted)) },
      { ...BAR, name: '办结件数', data: rows.map((r) => num(r.finished)) },
      { ...BAR, name: '差评数', data: rows.map((r) => num(r.badReviews)) },
      // A teller with no finished case has no average: a gap, not a zero.
      {
        name: '平均办理时长',
        type: 'line',
        yAxisIndex: 1,
        data: rows.map((r) => (typeof r.avgMinutes === 'number' ? r.avgMinutes : null)),
      },
    ],
  };
}

const OPTIONS: Readonly<Record<ReportTable['kind'], { title: string; build: (rows: readonly Row[]) => ChartOption }>> = {
  daily: { title: '各事项受理、办结与在办', build: dailyOption },
  volumes: { title: '各事项每日办理量', build: volumesOption },
  amounts: { title: '各险种金额占比', build: amountsOption },
  tellers: { title: '柜员办件、差评与平均办理时长', build: tellersOption },
};

/** The chart for a report, or null when the period has nothing to draw. */
export function reportChart(report: ReportTable): { title: string; option: ChartOption } | null {
  if (report.rows.length === 0) return null;
  const { title, build } = OPTIONS[report.kind];
  return { title, option: build(report.rows) };
}
