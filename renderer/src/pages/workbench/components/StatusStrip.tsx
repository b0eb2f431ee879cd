import { Badge, Tag } from 'antd';
import { useEffect, useState } from 'react';
import type { DeviceStatus, SystemStatus } from '#shared/api/contract';
import { ROLE_LABELS } from '#shared/api/roles';
import { client } from '../../../app/client';
import { useDevices } from '../../../stores/devices';
import { useSession } from '../../../stores/session';

const DEVICE_STATE: Record<DeviceStatus['state'], { status: 'success' | 'default' | 'error'; text: string }> = {
  ready: { status: 'success', text: '就绪' },
  offline: { status: 'default', text: '未连接' },
  error: { status: 'error', text: '故障' },
};

const kb = (n: number) => (n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

/** One line with who works where, and whether the store and devices are healthy. */
export function StatusStrip({ refreshKey }: { refreshKey: unknown }) {
  const session = useSession((s) => s.session)!;
  const station = useSession((s) => s.station);
  // Device lines follow the core's device events: every change of the printer or a reader refreshes them.
  const devices = useDevices((s) => s.overview);
  const [status, setStatus] = useState<SystemStatus | null>(null);
  useEffect(() => {
    void client()
      .call('system.status', {})
      .then(setStatus, () => setStatus(null));
  }, [refreshKey, devices]);

  return (
    <div className="status-strip">
      <div data-testid="operator-card">
        <span className="muted">操作员</span> {session.operator.displayName} · {ROLE_LABELS[session.operator.role]} · {session.windowNo}
        号窗口
      </div>
      <div data-testid="station-card">
        <span className="muted">站点</span> {station?.name}（{station?.code}）
      </div>
      <div data-testid="store-card" title={status?.store.path}>
        <span className="muted">本地库</span>
        {status && (
          <>
            <Badge status="success" /> v{status.store.schemaVersion} · {status.store.journalMode.toUpperCase()} ·{' '}
            {kb(status.store.sizeBytes)} · 待上传 {status.store.outboxPending} 条 · <span className="muted">{status.store.path}</span>
          </>
        )}
      </div>
      <div data-testid="device-card">
        {status?.devices.map((d) => (
          <span key={d.name} style={{ marginRight: 12 }} title={d.detail}>
            <Badge status={DEVICE_STATE[d.state].status} /> {d.name} {DEVICE_STATE[d.state].text}
            {d.state !== 'ready' && <span className="muted">（{d.detail}）</span>}
            {d.simulated && <Tag style={{ marginLeft: 4 }}>模拟</Tag>}
          </span>
        ))}
      </div>
    </div>
  );
}
