import { Badge, Card, Col, Descriptions, Row, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { DeviceStatus, SystemStatus } from '#shared/api/contract';
import { ROLE_LABELS } from '#shared/api/roles';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { useSession } from '../../stores/session';

const DEVICE_STATE: Record<DeviceStatus['state'], { status: 'success' | 'default' | 'error'; text: string }> = {
  ready: { status: 'success', text: '就绪' },
  offline: { status: 'default', text: '未连接' },
  error: { status: 'error', text: '故障' },
};

function formatBytes(n: number): string {
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The counter workbench: who is working, where, and whether the store and devices are healthy. */
export function WorkbenchPage() {
  const session = useSession((s) => s.session)!;
  const station = useSession((s) => s.station);
  const [status, setStatus] = useState<SystemStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    client()
      .call('system.status', {})
      .then(setStatus, (err: unknown) => setError(errorMessage(err)));
  }, []);

  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        柜员工作台
      </Typography.Title>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title="当前操作员" data-testid="operator-card">
            <Descriptions column={1} size="small">
              <Descriptions.Item label="姓名">{session.operator.displayName}</Descriptions.Item>
              <Descriptions.Item label="用户名">{session.operator.username}</Descriptions.Item>
              <Descriptions.Item label="岗位">{ROLE_LABELS[session.operator.role]}</Descriptions.Item>
              <Descriptions.Item label="窗口">{session.windowNo}号窗口</Descriptions.Item>
              <Descriptions.Item label="登录时间">{new Date(session.startedAt).toLocaleString('zh-CN')}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="站点" data-testid="station-card">
            {station && (
              <Descriptions column={1} size="small">
                <Descriptions.Item label="站点名称">{station.name}</Descriptions.Item>
                <Descriptions.Item label="站点编码">{station.code}</Descriptions.Item>
                <Descriptions.Item label="行政区划">{station.regionCode}</Descriptions.Item>
                <Descriptions.Item label="窗口">{station.windows.map((w) => `${w}号`).join('、')}</Descriptions.Item>
                <Descriptions.Item label="自动锁屏">{station.idleLockMinutes}分钟无操作</Descriptions.Item>
              </Descriptions>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="本地数据库" data-testid="store-card">
            {status && (
              <Descriptions column={1} size="small">
                <Descriptions.Item label="状态">
                  <Badge status="success" text="正常" />
                </Descriptions.Item>
                <Descriptions.Item label="结构版本">v{status.store.schemaVersion}</Descriptions.Item>
                <Descriptions.Item label="日志模式">{status.store.journalMode.toUpperCase()}</Descriptions.Item>
                <Descriptions.Item label="大小">{formatBytes(status.store.sizeBytes)}</Descriptions.Item>
                <Descriptions.Item label="待上传操作">{status.store.outboxPending}条</Descriptions.Item>
                <Descriptions.Item label="审计记录">{status.store.auditEntries}条</Descriptions.Item>
                <Descriptions.Item label="位置">
                  <Typography.Text code copyable>
                    {status.store.path}
                  </Typography.Text>
                </Descriptions.Item>
              </Descriptions>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="设备状态" data-testid="device-card">
            {status?.devices.map((d) => (
              <Descriptions key={d.kind} column={1} size="small" style={{ marginBottom: 8 }}>
                <Descriptions.Item label={d.kind === 'printer' ? '打印机' : '读卡器'}>
                  <Badge status={DEVICE_STATE[d.state].status} text={`${d.name} · ${DEVICE_STATE[d.state].text}`} />{' '}
                  {d.simulated && <Tag>模拟</Tag>}
                </Descriptions.Item>
                <Descriptions.Item label="说明">{d.detail}</Descriptions.Item>
              </Descriptions>
            ))}
            {status && <Typography.Text type="secondary">版本 {status.appVersion}</Typography.Text>}
          </Card>
        </Col>
      </Row>
    </>
  );
}
