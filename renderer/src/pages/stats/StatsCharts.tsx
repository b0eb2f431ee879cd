import { Card } from 'antd';
import { useMemo } from 'react';
import type { StatsRowView } from '#shared/api/queue';
import { EChart } from './EChart';
import { comparisonOption, ratingShareOption, timesByHourOption } from './chart-options';

interface Props {
  /** Rows of the current grouping and their total. */
  rows: readonly StatsRowView[];
  total: StatsRowView;
  /** The same range by hour, whatever the grouping. */
  hourly: readonly StatsRowView[];
  /** What a row of the current grouping is: 窗口, 柜员, 号类, 时段. */
  rowKind: string;
}

/** The statistics as charts; options are rebuilt only when the figures change, so typing elsewhere redraws nothing. */
export function StatsCharts({ rows, total, hourly, rowKind }: Props) {
  const byHour = useMemo(() => timesByHourOption(hourly), [hourly]);
  const ratings = useMemo(() => ratingShareOption(total), [total]);
  const comparison = useMemo(() => comparisonOption(rows), [rows]);
  const charts = [
    { id: 'hour', title: '各时段平均等候与办理时长', option: byHour },
    { id: 'ratings', title: '评价构成', option: ratings },
    { id: 'comparison', title: `${rowKind}对比：办结与满意度`, option: comparison },
  ];
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(360px, 1fr))', gap: 16 }}>
      {charts.map((c) => (
        <Card key={c.id} size="small" title={c.title}>
          <EChart option={c.option} label={c.title} />
        </Card>
      ))}
    </div>
  );
}
