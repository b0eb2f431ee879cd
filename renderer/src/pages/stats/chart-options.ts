import type { StatsRowView } from '#shared/api/queue';
import { RATING_LABELS, RATING_LEVELS, type RatingLevel } from '#shared/domain/queue/rating';
import type { ChartOption } from './EChart';

/** Minutes with one decimal; null stays null, which ECharts leaves as a gap rather than drawing a zero. */
export const toMinutes = (ms: number | null): number | null => (ms === null ? null : Math.round(ms / 6_000) / 10);

const GRID = { left: 48, right: 48, top: 40, bottom: 28 };
/** Keeps a lone bar (one window, one hour) from filling the whole chart. */
const BAR = { type: 'bar', barMaxWidth: 40 } as const;
const minutesText = (v: unknown) => (typeof v === 'number' ? `${v} 分钟` : '—');

/** Average waiting and service minutes per hour of the day (rows of queue.stats by hour). */
export function timesByHourOption(rows: readonly StatsRowView[]): ChartOption {
  return {
    tooltip: { trigger: 'axis', valueFormatter: minutesText },
    legend: { top: 0 },
    grid: GRID,
    xAxis: { type: 'category', data: rows.map((r) => `${r.key}时`) },
    yAxis: { type: 'value', name: '分钟' },
    series: [
      { ...BAR, name: '平均等候', data: rows.map((r) => toMinutes(r.waitAvgMs)) },
      { ...BAR, name: '平均办理', data: rows.map((r) => toMinutes(r.serviceAvgMs)) },
    ],
  };
}

/** Green to red, from 非常满意 down to 非常不满意. */
const LEVEL_COLOURS: Readonly<Record<RatingLevel, string>> = {
  very_satisfied: '#389e0d',
  satisfied: '#73d13d',
  basically_satisfied: '#bae637',
  dissatisfied: '#fa8c16',
  very_dissatisfied: '#f5222d',
};

/** The ratings of the range by level; the two lowest are the bad reviews that open a follow-up. */
export function ratingShareOption(total: StatsRowView): ChartOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}：{c} 条（{d}%）' },
    legend: { bottom: 0 },
    title:
      total.ratings === 0 ? { text: '暂无评价', left: 'center', top: 'middle', textStyle: { color: '#999', fontSize: 14 } } : undefined,
    series: [
      {
        name: '评价',
        type: 'pie',
        radius: ['40%', '65%'],
        // No ratings yet: draw no ring at all rather than five equal slices of nothing.
        stillShowZeroSum: false,
        label: { formatter: '{d}%' },
        data: RATING_LEVELS.map((level) => ({
          name: RATING_LABELS[level],
          value: total.ratingLevels[level],
          itemStyle: { color: LEVEL_COLOURS[level] },
        })),
      },
    ],
  };
}

/** Served visits and average rating side by side for each row of the current grouping (window, teller, …). */
export function comparisonOption(rows: readonly StatsRowView[]): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: GRID,
    xAxis: { type: 'category', data: rows.map((r) => r.label) },
    yAxis: [
      { type: 'value', name: '办结（件）', minInterval: 1 },
      { type: 'value', name: '满意度', min: 0, max: 5 },
    ],
    series: [
      { ...BAR, name: '办结', data: rows.map((r) => r.served) },
      { name: '满意度（5分）', type: 'line', yAxisIndex: 1, data: rows.map((r) => r.ratingAvg) },
    ],
  };
}
