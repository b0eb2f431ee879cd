import { Alert, Button, Card, Form, Input, InputNumber, Progress, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { BackupPhase, BackupRecord, BackupStatus } from '#shared/api/backup';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { size, time } from './format';
import { RestoreCard } from './RestoreCard';
import { StatusAlert } from '../../components/StatusAlert';

/** The administrator's backups: where they go, how often, the last ones and whether they verified; and restoring one. */
export function BackupPage() {
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const [progress, setProgress] = useState<{ phase: BackupPhase; done: number; total: number } | null>(null);
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  const [key, setKey] = useState<string | null>(null);
  const [form] = Form.useForm<BackupStatus['settings']>();

  const reload = useCallback(() => {
    void client()
      .call('backup.status', {})
      .then((s) => {
        setStatus(s);
        form.setFieldsValue(s.settings);
      });
  }, [form]);
  useEffect(reload, [reload]);
  useEffect(
    () =>
      client().onEvent((e) => {
        if (e.type === 'backup.progress') setProgress({ phase: e.phase, done: e.done, total: e.total });
      }),
    [],
  );

  async function save(values: BackupStatus['settings']) {
    try {
      await client().call('backup.updateSettings', values);
      setMessage({ type: 'success', text: '备份设置已保存' });
      reload();
    } catch (err) {
      setMessage({ type: 'error', text: errorMessage(err) });
    }
  }

  async function runNow() {
    setMessage(null);
    setProgress({ phase: 'database', done: 0, total: 0 });
    try {
      const r = await client().call('backup.run', {});
      setMessage({
        type: r.verified ? 'success' : 'error',
        text: r.verified ? '备份完成并已校验' : '备份已写入但校验未通过，请更换备份介质后重试',
      });
    } catch (err) {
      setMessage({ type: 'error', text: errorMessage(err) });
    } finally {
      setProgress(null);
      reload();
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>
        数据备份
      </Typography.Title>
      {status?.overdue && <Alert type="warning" showIcon title="备份已逾期：最近一次成功备份早于两个备份周期，请立即备份" />}
      <StatusAlert message={message} />
      <Card title="备份设置" size="small">
        {/* Disabled until the saved settings have loaded: they would otherwise overwrite what was typed meanwhile. */}
        <Form form={form} layout="inline" onFinish={(v) => void save(v)} aria-label="备份设置" disabled={!status}>
          <Form.Item label="备份目录" name="dir" rules={[{ required: true, message: '请填写备份目录（第二块硬盘或U盘）' }]}>
            <Input style={{ width: 320 }} placeholder="如 E:\\一窗通备份 或 /media/usb/backup" />
          </Form.Item>
          <Form.Item label="间隔（小时）" name="intervalHours">
            <InputNumber min={1} max={168} />
          </Form.Item>
          <Form.Item label="保留份数" name="keep">
            <InputNumber min={1} max={365} />
          </Form.Item>
          <Button htmlType="submit">保存</Button>
        </Form>
      </Card>
      <Card
        title="备份记录"
        size="small"
        extra={
          <Space>
            <Button type="primary" onClick={() => void runNow()} loading={progress !== null} disabled={!status?.settings.dir}>
              立即备份
            </Button>
          </Space>
        }
      >
        {progress !== null && (
          <Progress
            percent={progress.total ? Math.round((100 * progress.done) / progress.total) : 0}
            // The database first, then the material pages, usually the long part: counted page by page.
            format={(percent) => (progress.phase === 'pages' ? `材料影像 ${progress.done}/${progress.total}` : `数据库 ${percent}%`)}
            aria-label="备份进度"
          />
        )}
        <Table<BackupRecord>
          rowKey="file"
          size="small"
          pagination={false}
          dataSource={status?.history ?? []}
          locale={{ emptyText: '还没有备份' }}
          columns={[
            { title: '时间', dataIndex: 'createdAt', render: time },
            { title: '文件', dataIndex: 'file' },
            { title: '大小', dataIndex: 'sizeBytes', render: size },
            {
              title: '材料影像',
              dataIndex: 'pages',
              render: (pages: BackupRecord['pages']) =>
                pages ? (
                  <Space size={4}>
                    {`${pages.count} 页（本次写入 ${pages.written} 页）`}
                    {pages.unavailable > 0 && <Tag color="red">{`${pages.unavailable} 页本机文件缺失或损坏，未备份`}</Tag>}
                  </Space>
                ) : (
                  '—'
                ),
            },
            {
              title: '校验',
              dataIndex: 'verified',
              render: (v: boolean) => (v ? <Tag color="green">已校验</Tag> : <Tag color="red">校验失败</Tag>),
            },
          ]}
        />
      </Card>
      <RestoreCard status={status} onChange={reload} />
      <Card title="恢复密钥" size="small">
        <Typography.Paragraph>
          备份用本站密钥加密（指纹 <Typography.Text code>{status?.keyFingerprint}</Typography.Text>
          ）。硬盘损坏后在新电脑上恢复需要此密钥，请导出后与电脑分开保管。恢复步骤见运维手册。
        </Typography.Paragraph>
        {key ? (
          <Typography.Text code copyable>
            {key}
          </Typography.Text>
        ) : (
          <Button
            onClick={() =>
              void client()
                .call('backup.exportKey', {})
                .then((k) => setKey(k.key))
            }
          >
            显示恢复密钥（将记入审计）
          </Button>
        )}
      </Card>
    </Space>
  );
}
