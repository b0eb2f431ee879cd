import { Alert, Button, Card, DatePicker, Select, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { REPORT_KINDS, REPORT_LABELS, type ReportColumn, type ReportKind, type ReportTable } from '#shared/api/reports';
import { formatYuan } from '#shared/domain/money/fen';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';

const show = (c: ReportColumn, v: unknown) =>
  v === null || v === undefined
    ? '—'
    : c.type === 'fen' && typeof v === 'number'
      ? formatYuan(v)
      : c.type === 'minutes'
        ? `${String(v)} 分钟`
        : String(v);

/** Saves a file the core produced: the renderer has no file system, the browser's download does it. */
function download(file: { fileName: string; mimeType: string; base64: string }) {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
  const a = Object.assign(document.createElement('a'), { href: url, download: file.fileName });
  a.click();
  URL.revokeObjectURL(url);
}

/** Reports for the section chief: pick one and a period, read it, export it, print it on A4. */
export function ReportsPage() {
  const [kind, setKind] = useState<ReportKind>('daily');
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs(), dayjs()]);
  const [report, setReport] = useState<ReportTable | null>(null);
  const [error, setError] = useState<string | null>(null);
  const period = () => ({ kind, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') });

  async function run() {
    setError(null);
    try {
      setReport(await client().call('reports.run', period()));
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function exportAs(format: 'xlsx' | 'pdf') {
    try {
      download(await client().call('reports.export', { ...period(), format }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" className="no-print">
        <Space wrap>
          <Select<ReportKind>
            aria-label="报表"
            value={kind}
            onChange={setKind}
            style={{ width: 160 }}
            options={REPORT_KINDS.map((k) => ({ value: k, label: REPORT_LABELS[k] }))}
          />
          <DatePicker.RangePicker value={range} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} allowClear={false} />
          <Button type="primary" onClick={() => void run()}>
            查询
          </Button>
          <Button onClick={() => void exportAs('xlsx')}>导出Excel</Button>
          <Button onClick={() => void exportAs('pdf')}>导出PDF</Button>
          <Button onClick={() => window.print()} disabled={!report}>
            打印（A4）
          </Button>
        </Space>
      </Card>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
      {report && (
        <Card size="small" className="print-area">
          <Typography.Title level={4} style={{ marginTop: 0 }}>
            {report.stationName} {report.title}（{report.from} 至 {report.to}）
          </Typography.Title>
          <Table
            aria-label={report.title}
            size="small"
            pagination={false}
            rowKey={(_r, i) => String(i)}
            dataSource={[...report.rows, report.totals]}
            columns={report.columns.map((c) => ({
              key: c.key,
              title: c.title,
              dataIndex: c.key,
              align: c.type === 'text' ? 'left' : 'right',
              render: (v: unknown) => show(c, v),
            }))}
          />
        </Card>
      )}
    </Space>
  );
}
