import { Badge, Tooltip } from 'antd';
import { useEffect } from 'react';
import { NavLink } from 'react-router';
import type { SyncState, SyncStatus } from '#shared/api/sync';
import { useSync } from '../stores/sync';

const STATES: Record<SyncState, { badge: 'success' | 'processing' | 'default' | 'warning' | 'error'; text: string }> = {
  never_enrolled: { badge: 'default', text: '未注册中心' },
  syncing: { badge: 'processing', text: '正在同步' },
  online: { badge: 'success', text: '已同步' },
  offline: { badge: 'warning', text: '离线' },
  blocked: { badge: 'error', text: '同步受阻' },
};

const clock = (iso: string | null) =>
  iso ? new Date(iso).toLocaleTimeString('zh-CN', { hour12: false, hour: '2-digit', minute: '2-digit' }) : '—';

/** The line a teller reads at a glance: online or not, what waits to go up, when it last went well. */
export function syncSummary(status: SyncStatus): string {
  const p = status.progress;
  if (p) return `正在同步 · 已上传 ${p.pushed}/${p.toPush} 条 · 已下载 ${p.pulled} 条`;
  const state = STATES[status.state].text;
  const waiting = status.pendingOps > 0 ? ` · 待上传 ${status.pendingOps} 条` : '';
  const last = status.state === 'never_enrolled' ? '' : ` · 最近同步 ${clock(status.lastSyncAt)}`;
  return `${state}${waiting}${last}`;
}

/** Always in the header: the sync state, linked to 数据同步 for the details and what to do. */
export function SyncIndicator() {
  const status = useSync((s) => s.status);
  useEffect(() => useSync.getState().connect(), []);
  if (!status) return null;
  const inbox = status.openInbox > 0 ? ` · 待处理 ${status.openInbox} 项` : '';
  return (
    <Tooltip title={status.lastError?.message ?? '点击查看同步详情'}>
      <NavLink to="/sync" className="sync-indicator" data-testid="sync-indicator" data-state={status.state}>
        <Badge status={STATES[status.state].badge} />
        {syncSummary(status)}
        {inbox}
      </NavLink>
    </Tooltip>
  );
}
