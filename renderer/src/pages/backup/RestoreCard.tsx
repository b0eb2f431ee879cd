import { Alert, Button, Card, Form, Input, Modal, Popconfirm, Space, Steps, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import {
  RESTORE_STEPS,
  RESTORE_STEP_LABELS,
  type BackupFileInfo,
  type BackupStatus,
  type PageRestore,
  type RestoreStep,
} from '#shared/api/backup';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { useSession } from '../../stores/session';
import { size, time } from './format';
import { StatusAlert } from '../../components/StatusAlert';

/** The backup about to be restored, and the recovery key typed for it (empty: this PC's own key). */
interface Candidate {
  info: BackupFileInfo;
  key: string;
}

/**
 * What a restore did with the material pages: counts, and the first pages it could not restore by the start of their
 * hash (the log has them all). Those pages are not shown until they are fetched again from the central office.
 */
function PageRestoreNote({ pages }: { pages: PageRestore }) {
  const failed = pages.missing + pages.damaged;
  return (
    <Typography.Paragraph type={failed ? 'danger' : 'secondary'} style={{ margin: 0 }} data-testid="restored-pages">
      材料影像共 {pages.total} 页：从备份恢复并逐页校验 {pages.restored} 页{pages.present > 0 && `，本机已有且完好 ${pages.present} 页`}。
      {failed > 0 &&
        `缺失 ${pages.missing} 页、损坏 ${pages.damaged} 页，未恢复，不会显示，同步后可从中心重新获取：` +
          pages.problems.map((p) => `${p.found === 'missing' ? '缺失' : '损坏'} ${p.sha256.slice(0, 12)}`).join('，') +
          (pages.problems.length < failed ? ' 等（全部见日志）' : '')}
    </Typography.Paragraph>
  );
}

/**
 * 数据恢复: pick a backup (from the backup folder or any path), confirm, and the core verifies it into a fresh folder
 * beside the live store; the switch happens at the next start, and until then it can be called off.
 */
export function RestoreCard({ status, onChange }: { status: BackupStatus | null; onChange: () => void }) {
  const stationCode = useSession((s) => s.station?.code);
  const [candidate, setCandidate] = useState<Candidate | null>(null);
  const [step, setStep] = useState<RestoreStep | null>(null);
  const [pageProgress, setPageProgress] = useState<{ done: number; total: number } | null>(null);
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  const [other] = Form.useForm<{ file: string; key?: string }>();
  const pending = status?.pendingRestore ?? null;

  useEffect(
    () =>
      client().onEvent((e) => {
        if (e.type !== 'backup.restoreProgress') return;
        setStep(e.step);
        setPageProgress(e.total === undefined ? null : { done: e.done ?? 0, total: e.total });
      }),
    [],
  );

  async function inspectOther({ file, key }: { file: string; key?: string }) {
    setMessage(null);
    try {
      setCandidate({ info: await client().call('backup.inspect', { file }), key: key?.trim() ?? '' });
    } catch (err) {
      setMessage({ type: 'error', text: errorMessage(err) });
    }
  }

  async function restore({ info, key }: Candidate) {
    setMessage(null);
    setStep(RESTORE_STEPS[0]);
    try {
      await client().call('backup.restore', { file: info.file, ...(key ? { key } : {}) });
      setMessage({ type: 'success', text: '恢复已准备好，重启一窗通后生效' });
    } catch (err) {
      setMessage({ type: 'error', text: `恢复被拒绝：${errorMessage(err)}` });
    } finally {
      setStep(null);
      setCandidate(null);
      onChange();
    }
  }

  async function restartNow() {
    setMessage(null);
    try {
      const { restarting } = await client().call('backup.restartNow', {});
      setMessage(
        restarting
          ? { type: 'success', text: '正在重启一窗通，稍候将切换到恢复的数据' }
          : { type: 'error', text: '本机程序不能自动重启，请手动退出并重新启动一窗通' },
      );
    } catch (err) {
      setMessage({ type: 'error', text: errorMessage(err) });
    }
  }

  async function cancel() {
    setMessage(null);
    try {
      await client().call('backup.cancelRestore', {});
      setMessage({ type: 'success', text: '已取消恢复，本机数据保持不变' });
    } catch (err) {
      setMessage({ type: 'error', text: errorMessage(err) });
    }
    onChange();
  }

  return (
    <Card title="数据恢复" size="small">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <StatusAlert message={message} />
        {pending && (
          <Alert
            type="warning"
            showIcon
            data-testid="pending-restore"
            title={`已准备恢复 ${time(pending.backupCreatedAt)} 的备份：重启后生效`}
            description={
              <>
                {status?.canRestart ? '点“立即重启”或退出后重新启动一窗通。' : '请退出并重新启动一窗通。'}
                重启时本机切换到恢复的数据；当前数据改名保留在数据目录的 {pending.keptAs}{' '}
                文件夹中，不会删除。重启之前本机新办理的业务不会出现在恢复后的数据中。（{pending.preparedBy ?? '系统'}于{' '}
                {time(pending.preparedAt)} 准备）
                {pending.pages && <PageRestoreNote pages={pending.pages} />}
              </>
            }
            action={
              <Space orientation="vertical" size={4}>
                {status?.canRestart && (
                  <Popconfirm title="现在重启一窗通？正在办理的业务请先保存。" onConfirm={() => void restartNow()}>
                    <Button size="small" type="primary">
                      立即重启
                    </Button>
                  </Popconfirm>
                )}
                <Popconfirm title="取消这次恢复？本机数据保持不变。" onConfirm={() => void cancel()}>
                  <Button size="small">取消恢复</Button>
                </Popconfirm>
              </Space>
            }
          />
        )}
        {status?.lastRestore && (
          <Typography.Text type="secondary">
            本机数据于 {time(status.lastRestore.at)} 从 {time(status.lastRestore.backupCreatedAt)} 的备份恢复。
          </Typography.Text>
        )}
        {status?.lastRestore?.pages && <PageRestoreNote pages={status.lastRestore.pages} />}
        <Table<BackupFileInfo>
          rowKey="file"
          size="small"
          pagination={false}
          aria-label="备份目录中的备份文件"
          dataSource={status?.files ?? []}
          locale={{ emptyText: '备份目录中没有备份文件' }}
          columns={[
            { title: '备份时间', dataIndex: 'createdAt', render: time },
            {
              title: '站点',
              dataIndex: 'stationCode',
              render: (code: string) => (code === stationCode ? code : <Tag color="red">{code}（非本站）</Tag>),
            },
            { title: '文件', dataIndex: 'file' },
            { title: '大小', dataIndex: 'sizeBytes', render: size },
            {
              title: '操作',
              render: (_: unknown, info) => (
                <Button size="small" disabled={pending !== null} onClick={() => setCandidate({ info, key: '' })}>
                  恢复
                </Button>
              ),
            },
          ]}
        />
        <Form form={other} layout="inline" onFinish={(v) => void inspectOther(v)} aria-label="恢复其他位置的备份">
          <Form.Item label="其他位置的备份文件" name="file" rules={[{ required: true, message: '请填写备份文件的完整路径' }]}>
            <Input style={{ width: 360 }} placeholder="如 F:\yichuang-330106001-20261129T020000000Z.ycbak" />
          </Form.Item>
          <Form.Item label="恢复密钥" name="key" extra="备份来自其他电脑时填写；本机的备份留空">
            <Input.Password style={{ width: 260 }} autoComplete="off" />
          </Form.Item>
          <Button htmlType="submit" disabled={pending !== null}>
            恢复此文件
          </Button>
        </Form>
      </Space>
      <Modal
        open={candidate !== null}
        title="确认恢复数据"
        okText="开始恢复"
        cancelText="取消"
        okButtonProps={{ danger: true, loading: step !== null }}
        cancelButtonProps={{ disabled: step !== null }}
        closable={step === null}
        mask={{ closable: false }}
        onOk={() => candidate && void restore(candidate)}
        onCancel={() => setCandidate(null)}
      >
        {candidate && (
          <Space orientation="vertical">
            <Typography.Text>
              恢复站点 <Typography.Text strong>{candidate.info.stationCode}</Typography.Text> 于{' '}
              <Typography.Text strong>{time(candidate.info.createdAt)}</Typography.Text> 的备份（{candidate.info.file}）。
            </Typography.Text>
            <ol style={{ paddingInlineStart: 20, margin: 0 }}>
              <li>先解密并逐项校验备份，写入数据目录中的新文件夹；此时本机数据不受影响，可以继续办理。</li>
              <li>重启一窗通后才切换到恢复的数据；当前数据改名保留，不会删除。</li>
              <li>备份时间之后本机办理的业务不在恢复后的数据中。</li>
            </ol>
            {step && (
              <Steps
                aria-label="恢复进度"
                orientation="vertical"
                size="small"
                current={RESTORE_STEPS.indexOf(step)}
                items={RESTORE_STEPS.map((s) => ({
                  title: RESTORE_STEP_LABELS[s],
                  description:
                    s === 'pages' && step === 'pages' && pageProgress ? `${pageProgress.done}/${pageProgress.total} 页` : undefined,
                }))}
              />
            )}
          </Space>
        )}
      </Modal>
    </Card>
  );
}
