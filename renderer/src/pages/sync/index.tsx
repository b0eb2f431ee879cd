import { Alert, Button, Card, Descriptions, Form, Input, Modal, Progress, Space, Switch, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { CLOCK_SKEW_WARNING_MS, type InboxItem, type SyncStatus } from '#shared/api/sync';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { filesSummary, syncSummary } from '../../layout/SyncIndicator';
import { useSession } from '../../stores/session';
import { useSync } from '../../stores/sync';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');

/** "本机时钟比中心慢 3 分钟": signatures fail past 5 minutes and business dates drift, so say it in words. */
export function skewText(ms: number | null): string | null {
  if (ms === null || Math.abs(ms) < CLOCK_SKEW_WARNING_MS) return null;
  const minutes = Math.round(Math.abs(ms) / 60_000);
  return `本机时钟比中心${ms > 0 ? '慢' : '快'} ${minutes} 分钟，请校准系统时间（同步按中心时间签名，不影响数据顺序）`;
}

const show = (v: unknown) => (v === null || v === undefined ? '（空）' : typeof v === 'string' ? v : JSON.stringify(v));

/** 数据同步: the state with the central office, enrolment (admin), and the inbox of refusals and conflicts (reviewer). */
export function SyncPage() {
  const role = useSession((s) => s.session?.operator.role);
  const status = useSync((s) => s.status);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => useSync.getState().connect(), []);

  async function run(action: () => Promise<SyncStatus>) {
    setBusy(true);
    setError(null);
    try {
      useSync.getState().set(await action());
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  if (!status) return null;
  const skew = skewText(status.clockSkewMs);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
      <Card
        size="small"
        title="与中心的同步"
        extra={
          status.state !== 'never_enrolled' && (
            <Button type="primary" loading={busy} onClick={() => void run(() => client().call('sync.now', {}))}>
              立即同步
            </Button>
          )
        }
      >
        <Typography.Paragraph strong data-testid="sync-summary">
          {syncSummary(status)}
        </Typography.Paragraph>
        {status.progress && status.progress.toPush > 0 && !status.files.active && (
          <Progress
            aria-label="上传进度"
            percent={Math.floor((status.progress.pushed / status.progress.toPush) * 100)}
            style={{ maxWidth: 480, marginBottom: 12 }}
          />
        )}
        {status.files.active && (
          <Progress
            aria-label="影像上传进度"
            percent={Math.floor((status.files.sentBytes / Math.max(1, status.files.sentBytes + status.files.pendingBytes)) * 100)}
            style={{ maxWidth: 480, marginBottom: 12 }}
          />
        )}
        {status.lastError && status.state !== 'online' && (
          <Alert
            type={status.state === 'blocked' ? 'error' : 'warning'}
            showIcon
            title={status.lastError.message}
            style={{ marginBottom: 12 }}
          />
        )}
        {skew && <Alert type="warning" showIcon title={skew} style={{ marginBottom: 12 }} />}
        <Descriptions size="small" column={2} bordered>
          <Descriptions.Item label="中心地址">{status.centralUrl ?? '未注册'}</Descriptions.Item>
          <Descriptions.Item label="站点">{status.stationName ? `${status.stationName}（${status.stationCode}）` : '—'}</Descriptions.Item>
          <Descriptions.Item label="待上传操作">{status.pendingOps} 条</Descriptions.Item>
          <Descriptions.Item label="材料影像">
            <span data-testid="sync-files">{filesSummary(status.files)}</span>
          </Descriptions.Item>
          <Descriptions.Item label="最近一次完整同步">{when(status.lastSyncAt)}</Descriptions.Item>
          <Descriptions.Item label="下次自动尝试">{when(status.nextAttemptAt)}</Descriptions.Item>
          <Descriptions.Item label="本机设备编号">{status.deviceId ?? '—'}</Descriptions.Item>
        </Descriptions>
        {status.files.problem && <Alert type="warning" showIcon title={`材料影像：${status.files.problem}`} style={{ marginTop: 12 }} />}
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          离线时照常办理，所有操作保存在本机，恢复连接后自动按顺序上传，不会丢失或重复。
          材料影像在业务数据之后分块上传（断线后从中断处续传，中心已有的不再重复上传），有新的业务操作时优先上传业务操作；
          影像未传完不影响业务数据的同步状态。
        </Typography.Paragraph>
      </Card>
      {role === 'admin' &&
        (status.state === 'never_enrolled' ? <EnrolCard run={run} busy={busy} pendingOps={status.pendingOps} /> : <ResetCard run={run} />)}
      {(role === 'reviewer' || role === 'admin') && <InboxCard canResolve={role === 'reviewer'} openCount={status.openInbox} />}
    </Space>
  );
}

type Run = (action: () => Promise<SyncStatus>) => Promise<void>;

function EnrolCard({ run, busy, pendingOps }: { run: Run; busy: boolean; pendingOps: number }) {
  const [form] = Form.useForm<{ centralUrl: string; code: string }>();
  return (
    <Card size="small" title="注册到中心">
      <Typography.Paragraph type="secondary">
        向中心管理员申请本站的一次性注册码，填入中心地址和注册码。本机会生成自己的设备密钥（仅保存在本机数据目录），以后每次同步都用它签名。
      </Typography.Paragraph>
      {pendingOps > 0 && (
        // A restored PC whose device key was lost: what enrolment will do with the history it carries.
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={`本机有 ${pendingOps} 条操作尚未得到中心确认（例如从备份恢复）`}
          description="注册后，其中原设备已上传中心的不会重复上传，其余操作按新设备号重新编号后上传。注册前请中心管理员停用遗失密钥的原设备。"
        />
      )}
      <Form
        form={form}
        layout="inline"
        aria-label="注册到中心"
        onFinish={(v) => void run(() => client().call('sync.enrol', { centralUrl: v.centralUrl, code: v.code }))}
      >
        <Form.Item name="centralUrl" rules={[{ required: true, message: '请输入中心地址' }]}>
          <Input aria-label="中心地址" placeholder="https://sync.example.gov.cn" style={{ width: 320 }} />
        </Form.Item>
        <Form.Item name="code" rules={[{ required: true, message: '请输入注册码' }]}>
          <Input aria-label="注册码" placeholder="一次性注册码" autoComplete="off" style={{ width: 220 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          注册
        </Button>
      </Form>
    </Card>
  );
}

function ResetCard({ run }: { run: Run }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <Card size="small" title="设备注册">
      <Space>
        <Typography.Text type="secondary">更换中心或设备密钥遗失时才需要重置注册；重置后须用新的注册码重新注册。</Typography.Text>
        <Button danger onClick={() => setOpen(true)}>
          重置注册
        </Button>
      </Space>
      <Modal
        open={open}
        title="重置注册"
        okText="重置"
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2 }}
        onCancel={() => setOpen(false)}
        onOk={() => {
          setOpen(false);
          void run(() => client().call('sync.reset', { reason }));
        }}
      >
        <Input.TextArea
          aria-label="重置原因"
          placeholder="请填写重置原因（记入审计日志）"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </Card>
  );
}

function InboxCard({ canResolve, openCount }: { canResolve: boolean; openCount: number }) {
  const [items, setItems] = useState<InboxItem[]>([]);
  const [includeResolved, setIncludeResolved] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    client()
      .call('sync.inbox', { includeResolved })
      .then(setItems, (err: unknown) => setError(errorMessage(err)));
  }, [includeResolved]);
  // Reloaded whenever the open count changes (a round brought new entries, or someone resolved one).
  useEffect(load, [load, openCount]);

  async function resolve(id: string, resolution: InboxItem['resolution'] & string) {
    setError(null);
    try {
      await client().call('sync.resolveInbox', { id, resolution });
      load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <Card
      size="small"
      title={`待处理事项（${openCount}）`}
      extra={
        <span>
          显示已处理 <Switch size="small" aria-label="显示已处理" checked={includeResolved} onChange={setIncludeResolved} />
        </span>
      }
    >
      <Typography.Paragraph type="secondary">
        中心拒绝的操作和与中心冲突的修改都列在这里，由复核人员确认或选择保留哪一方的值；处理结果记入审计日志。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 8 }} />}
      <Table<InboxItem>
        aria-label="待处理事项"
        rowKey="id"
        size="small"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        dataSource={items}
        locale={{ emptyText: '没有待处理事项' }}
        columns={[
          {
            title: '类型',
            dataIndex: 'kind',
            render: (k: InboxItem['kind']) => (k === 'refusal' ? <Tag color="red">被拒绝</Tag> : <Tag color="orange">冲突</Tag>),
          },
          { title: '说明', dataIndex: 'message' },
          {
            title: '中心值 / 本机值',
            render: (_: unknown, i) => (i.kind === 'conflict' ? `${i.field ?? ''}：${show(i.serverValue)} / ${show(i.deviceValue)}` : '—'),
          },
          { title: '发生时间', dataIndex: 'createdAt', render: when },
          {
            title: '处理',
            render: (_: unknown, i) => {
              if (i.resolvedAt) return <Typography.Text type="secondary">已处理 {when(i.resolvedAt)}</Typography.Text>;
              if (!canResolve) return <Typography.Text type="secondary">待复核人员处理</Typography.Text>;
              return i.kind === 'refusal' ? (
                <Button size="small" onClick={() => void resolve(i.id, 'acknowledge')}>
                  已知悉
                </Button>
              ) : (
                <Space>
                  <Button size="small" onClick={() => void resolve(i.id, 'keep_server')}>
                    采用中心值
                  </Button>
                  <Button size="small" onClick={() => void resolve(i.id, 'resend_device')}>
                    重新提交本机值
                  </Button>
                </Space>
              );
            },
          },
        ]}
      />
    </Card>
  );
}
