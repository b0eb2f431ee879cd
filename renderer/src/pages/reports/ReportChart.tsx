import { Card } from 'antd';
import { useMemo } from 'react';
import type { ReportTable } from '#shared/api/reports';
import { EChart } from '../stats/EChart';
import { reportChart } from './chart-options';

/** The report drawn, above its table; nothing when the period has no rows. */
export function ReportChart({ report }: { report: ReportTable }) {
  const chart = useMemo(() => reportChart(report), [report]);
  if (!chart) return null;
  return (
    <Card size="small" title={chart.title} className="no-print">
      <EChart option={chart.option} label={chart.title} height={320} />
    </Card>
  );
}
