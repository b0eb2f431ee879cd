import { Alert, Badge, Button, Card, Image, List, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { PRINT_JOB_STATE_LABELS, PRINTER_STATE_LABELS, type PrintJob, type PrinterView } from '#shared/api/devices';
import { client } from '../../../app/client';
import { errorMessage } from '../../../app/errors';
import { useDevices } from '../../../stores/devices';

const PRINTER_BADGE: Record<PrinterView['state'], 'success' | 'default' | 'error' | 'processing'> = {
  online: 'success',
  offline: 'default',
  paper_out: 'error',
  unknown: 'processing',
};

const JOB_COLORS: Record<PrintJob['state'], string> = {
  queued: 'blue',
  printing: 'processing',
  printed: 'green',
  failed_waiting: 'orange',
  blocked: 'red',
  uncertain: 'gold',
  cancelled: 'default',
};

const time = (iso: string) => new Date(iso).toLocaleTimeString('zh-CN', { hour12: false });

/** The printer's state, the queue with what the teller may decide about each job, and what the virtual printer printed. */
export function PrintQueuePanel() {
  const printer = useDevices((s) => s.overview?.printer);
  const jobs = useDevices((s) => s.jobs);
  const lastOutput = useDevices((s) => s.lastOutput);
  const [error, setError] = useState<string | null>(null);

  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  const resolve = (job: PrintJob, action: 'printed' | 'reprint' | 'cancel') =>
    run(() => client().call('print.resolve', { jobId: job.id, action }));
  const reprint = (job: PrintJob) => run(() => client().call('document.reprint', { documentId: job.documentId }));
  const simulate = (change: { paper?: 'ok' | 'out'; offline?: boolean }) => run(() => client().call('printer.simulate', change));

  return (
    <Card title="打印队列" size="small" data-testid="print-queue">
      {printer && (
        <div data-testid="printer-state" style={{ marginBottom: 8 }}>
          <Badge status={PRINTER_BADGE[printer.state]} /> 打印机{PRINTER_STATE_LABELS[printer.state]}
          <span className="muted">
            {' '}
            · {printer.detail} · {printer.paperMm}毫米/{printer.columns}列
          </span>
        </div>
      )}
      {printer?.simulated && (
        <Space wrap size="small" style={{ marginBottom: 8 }} aria-label="虚拟打印机演示">
          <span className="muted">演示：</span>
          <Button size="small" onClick={() => void simulate({ paper: 'out' })}>
            模拟缺纸
          </Button>
          <Button size="small" onClick={() => void simulate({ paper: 'ok', offline: false })}>
            装纸并联机
          </Button>
          <Button size="small" onClick={() => void simulate({ offline: true })}>
            模拟离线
          </Button>
        </Space>
      )}
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 8 }} />}
      <List
        size="small"
        aria-label="打印任务"
        locale={{ emptyText: '暂无打印任务' }}
        dataSource={jobs.slice(0, 8)}
        renderItem={(job) => (
          <List.Item
            aria-label={job.title}
            actions={[
              ...(job.state === 'uncertain'
                ? [
                    <Button key="ok" size="small" onClick={() => void resolve(job, 'printed')}>
                      已打印
                    </Button>,
                    <Button key="again" size="small" onClick={() => void resolve(job, 'reprint')}>
                      补打
                    </Button>,
                  ]
                : []),
              ...(['queued', 'failed_waiting', 'blocked'].includes(job.state)
                ? [
                    <Button key="cancel" size="small" onClick={() => void resolve(job, 'cancel')}>
                      取消
                    </Button>,
                  ]
                : []),
              ...(job.state === 'printed'
                ? [
                    <Button key="reprint" size="small" type="link" onClick={() => void reprint(job)}>
                      补打
                    </Button>,
                  ]
                : []),
            ]}
          >
            <List.Item.Meta
              title={
                <Space size={4}>
                  <Tag color={JOB_COLORS[job.state]} data-testid="job-state">
                    {PRINT_JOB_STATE_LABELS[job.state]}
                  </Tag>
                  {job.reprint && <Tag>补打</Tag>}
                  <span>{job.title}</span>
                </Space>
              }
              description={
                <>
                  {time(job.createdAt)}
                  {job.state === 'failed_waiting' && job.nextAttemptAt && ` · ${time(job.nextAttemptAt)} 重试`}
                  {job.lastError && (
                    <Typography.Text type={job.state === 'failed_waiting' ? 'warning' : 'danger'} style={{ display: 'block' }}>
                      {job.lastError}
                    </Typography.Text>
                  )}
                </>
              }
            />
          </List.Item>
        )}
      />
      {printer?.simulated && lastOutput && (
        <div style={{ marginTop: 8 }}>
          <Typography.Text type="secondary">虚拟打印机最近打出的单据：</Typography.Text>
          <div style={{ maxHeight: 320, overflow: 'auto', border: '1px solid #eee', marginTop: 4 }}>
            <Image src={lastOutput.png} alt="虚拟打印机最近打出的单据" data-testid="virtual-paper" width="100%" />
          </div>
        </div>
      )}
    </Card>
  );
}
