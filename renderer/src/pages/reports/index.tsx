import { Alert, Button, Card, DatePicker, Progress, Select, Space, Spin, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { Suspense, lazy, useEffect, useState } from 'react';
import { ApiError } from '#shared/api/errors';
import { REPORT_KINDS, REPORT_LABELS, type ReportColumn, type ReportKind, type ReportTable } from '#shared/api/reports';
import { formatYuan } from '#shared/domain/money/fen';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';

// ECharts loads with the page that draws, not with the app.
const ReportChart = lazy(() => import('./ReportChart').then((m) => ({ default: m.ReportChart })));
const FORMAT_LABELS = { xlsx: 'Excel', pdf: 'PDF' } as const;
type Format = keyof typeof FORMAT_LABELS;
let exportCount = 0;

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
  const [notice, setNotice] = useState<string | null>(null);
  /** The export under way: its id (to cancel it), format and rows written so far. */
  const [exporting, setExporting] = useState<{ exportId: string; format: Format; done: number; total: number } | null>(null);
  const period = () => ({ kind, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') });

  useEffect(
    () =>
      client().onEvent((e) => {
        if (e.type === 'reports.exportProgress')
          setExporting((x) => (x?.exportId === e.exportId ? { ...x, done: e.done, total: e.total } : x));
      }),
    [],
  );

  async function run() {
    setError(null);
    setNotice(null);
    try {
      setReport(await client().call('reports.run', period()));
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function exportAs(format: Format) {
    const exportId = `export-${Date.now()}-${++exportCount}`;
    setError(null);
    setNotice(null);
    setExporting({ exportId, format, done: 0, total: 0 });
    try {
      download(await client().call('reports.export', { ...period(), format, exportId }));
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'cancelled') setNotice('已取消导出，没有生成文件');
      else setError(errorMessage(err));
    } finally {
      setExporting(null);
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
          {(Object.keys(FORMAT_LABELS) as Format[]).map((f) => (
            <Button key={f} onClick={() => void exportAs(f)} disabled={exporting !== null}>
              导出{FORMAT_LABELS[f]}
            </Button>
          ))}
          <Button onClick={() => window.print()} disabled={!report}>
            打印（A4）
          </Button>
        </Space>
      </Card>
      {exporting && (
        <Card size="small" className="no-print">
          <Space style={{ width: '100%' }}>
            <span>正在导出{FORMAT_LABELS[exporting.format]}：</span>
            <Progress
              aria-label="导出进度"
              style={{ width: 320, margin: 0 }}
              percent={exporting.total ? Math.floor((100 * exporting.done) / exporting.total) : 0}
              format={() => (exporting.total ? `${exporting.done}/${exporting.total} 行` : '准备中')}
            />
            <Button danger onClick={() => void client().call('reports.cancelExport', { exportId: exporting.exportId })}>
              取消导出
            </Button>
          </Space>
        </Card>
      )}
      {error && <Alert type="error" showIcon title={error} role="alert" />}
      {notice && <Alert type="info" showIcon title={notice} role="status" />}
      {report && (
        <Suspense fallback={<Spin />}>
          <ReportChart report={report} />
        </Suspense>
      )}
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
