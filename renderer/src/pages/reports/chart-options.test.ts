import { describe, expect, it } from 'vitest';
import type { ReportTable } from '#shared/api/reports';
import { reportChart } from './chart-options';

const report = (kind: ReportTable['kind'], rows: ReportTable['rows']): ReportTable => ({
  kind,
  title: '',
  stationName: '测试站',
  from: '2026-11-01',
  to: '2026-11-03',
  columns: [],
  rows,
  totals: {},
  generatedAt: '2026-11-29T02:00:00.000Z',
});
const series = (kind: ReportTable['kind'], rows: ReportTable['rows']) =>
  (reportChart(report(kind, rows))!.option as { series: { name: string; data: unknown[] }[] }).series.map((s) => [s.name, s.data]);

describe('report charts', () => {
  it('draw item volumes over the period as one line per item, a day without cases counting 0', () => {
    const rows = [
      { date: '2026-11-01', item: 'N 社保卡', count: 2 },
      { date: '2026-11-03', item: 'N 社保卡', count: 1 },
      { date: '2026-11-03', item: 'G 养老', count: 4 },
    ];
    expect((reportChart(report('volumes', rows))!.option.xAxis as { data: string[] }).data).toEqual(['2026-11-01', '2026-11-03']);
    expect(series('volumes', rows)).toEqual([
      ['G 养老', [0, 4]],
      ['N 社保卡', [2, 1]],
    ]);
  });

  it('show amounts per insurance in yuan and teller performance with a gap for a missing average', () => {
    expect(series('amounts', [{ insurance: '养老保险', cases: 1, fen: 300_055 }])).toEqual([
      ['金额', [{ name: '养老保险', value: 3000.55 }]],
    ]);
    expect(
      series('tellers', [
        { teller: '王柜员', accepted: 3, finished: 2, avgMinutes: 12.5, ratings: 2, badReviews: 1 },
        { teller: '钱柜员', accepted: 1, finished: 0, avgMinutes: null, ratings: 0, badReviews: 0 },
      ]),
    ).toEqual([
      ['受理件数', [3, 1]],
      ['办结件数', [2, 0]],
      ['差评数', [1, 0]],
      ['平均办理时长', [12.5, null]],
    ]);
    expect(series('daily', [{ item: 'N2 补卡', accepted: 1, finished: 1, open: 0 }])).toEqual([
      ['受理', [1]],
      ['办结', [1]],
      ['在办', [0]],
    ]);
  });

  it('draw nothing for an empty period', () => {
    expect(reportChart(report('daily', []))).toBeNull();
  });
});
