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

/** 4.5 MB, 320 KB, 12 B. */
export function byteSize(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

/**
 * The pages' own line: they go up after the business data and apart from it, so a station can be fully synced for
 * business while pages still wait (材料影像：待上传 12 页（4.5 MB），本轮已上传 1.2 MB).
 */
export function filesSummary(files: SyncStatus['files']): string {
  const sent = files.sentBytes > 0 ? `，本轮已上传 ${byteSize(files.sentBytes)}` : '';
  const waiting =
    files.pendingPages > 0
      ? `${files.active ? '正在上传，' : ''}待上传 ${files.pendingPages} 页（${byteSize(files.pendingBytes)}）${sent}`
      : '已全部上传';
  const corrupt = files.corruptPages > 0 ? `；本机损坏 ${files.corruptPages} 页，等待从中心取回` : '';
  return `材料影像：${waiting}${corrupt}`;
}

/** The line a teller reads at a glance: online or not, what waits to go up, when it last went well. */
export function syncSummary(status: SyncStatus): string {
  const p = status.progress;
  const files = status.files;
  if (p && files.active) return `正在上传材料影像 · 本轮已上传 ${byteSize(files.sentBytes)} · 待上传 ${files.pendingPages} 页`;
  if (p) return `正在同步 · 已上传 ${p.pushed}/${p.toPush} 条 · 已下载 ${p.pulled} 条`;
  const state = STATES[status.state].text;
  const waiting = status.pendingOps > 0 ? ` · 待上传 ${status.pendingOps} 条` : '';
  const last = status.state === 'never_enrolled' ? '' : ` · 最近同步 ${clock(status.lastSyncAt)}`;
  // Said apart from the business data's state: pages still waiting do not make the station "not synced".
  const pages = files.pendingPages > 0 ? ` · 影像 ${files.pendingPages} 页待传` : '';
  return `${state}${waiting}${last}${pages}`;
}

/** Always in the header: the sync state, linked to 数据同步 for the details and what to do. */
export function SyncIndicator() {
  const status = useSync((s) => s.status);
  useEffect(() => useSync.getState().connect(), []);
  if (!status) return null;
  const inbox = status.openInbox > 0 ? ` · 待处理 ${status.openInbox} 项` : '';
  return (
    <Tooltip title={status.lastError?.message ?? `${filesSummary(status.files)}。点击查看同步详情`}>
      <NavLink
        to="/sync"
        className="sync-indicator"
        data-testid="sync-indicator"
        data-state={status.state}
        data-files={status.files.active ? 'uploading' : status.files.pendingPages > 0 ? 'waiting' : 'done'}
      >
        <Badge status={STATES[status.state].badge} />
        {syncSummary(status)}
        {inbox}
      </NavLink>
    </Tooltip>
  );
}
