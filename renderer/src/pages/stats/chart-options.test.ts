import { describe, expect, it } from 'vitest';
import type { StatsRowView } from '#shared/api/queue';
import { emptyStatsRow } from '#shared/domain/queue/stats';
import { comparisonOption, ratingShareOption, timesByHourOption, toMinutes } from './chart-options';

const row = (over: Partial<StatsRowView>): StatsRowView => ({ ...emptyStatsRow(), label: '', ...over });
const seriesData = (option: object) => (option as { series: { name: string; data: unknown[] }[] }).series.map((s) => [s.name, s.data]);

describe('statistics chart options', () => {
  it('shows minutes with one decimal and leaves a missing average as a gap', () => {
    expect(toMinutes(90_000)).toBe(1.5);
    expect(toMinutes(100_000)).toBe(1.7);
    expect(toMinutes(null)).toBeNull();
  });

  it('puts waiting and service minutes per hour on the hour axis', () => {
    const option = timesByHourOption([
      row({ key: '09', waitAvgMs: 300_000, serviceAvgMs: 600_000 }),
      row({ key: '10', waitAvgMs: 60_000 }),
    ]);
    expect((option.xAxis as { data: string[] }).data).toEqual(['09时', '10时']);
    expect(seriesData(option)).toEqual([
      ['平均等候', [5, 1]],
      ['平均办理', [10, null]],
    ]);
  });

  it('splits the ratings by level, with a note when there are none', () => {
    const ratingLevels = { very_satisfied: 2, satisfied: 1, basically_satisfied: 0, dissatisfied: 1, very_dissatisfied: 1 };
    const option = ratingShareOption(row({ ratings: 5, badRatings: 2, ratingLevels }));
    expect((option.series as { data: { name: string; value: number }[] }[])[0]!.data.map((d) => [d.name, d.value])).toEqual([
      ['非常满意', 2],
      ['满意', 1],
      ['基本满意', 0],
      ['不满意', 1],
      ['非常不满意', 1],
    ]);
    expect(option.title).toBeUndefined();
    expect(ratingShareOption(row({})).title).toMatchObject({ text: '暂无评价' });
  });

  it('compares served visits and average rating per row of the grouping', () => {
    const option = comparisonOption([row({ label: '1号窗口', served: 3, ratingAvg: 4.5 }), row({ label: '2号窗口', served: 1 })]);
    expect((option.xAxis as { data: string[] }).data).toEqual(['1号窗口', '2号窗口']);
    expect(seriesData(option)).toEqual([
      ['办结', [3, 1]],
      ['满意度（5分）', [4.5, null]],
    ]);
  });
});
