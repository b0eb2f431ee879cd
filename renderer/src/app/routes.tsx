import type { ReactNode } from 'react';
import type { Role } from '#shared/domain/roles';
import { ArchiveSearchPage } from '../pages/archive';
import { AuditPage } from '../pages/audit';
import { BackupPage } from '../pages/backup';
import { DayClosePage } from '../pages/dayclose';
import { HallPage } from '../pages/hall';
import { HallDevicesPage } from '../pages/hall/DevicesPage';
import { QueueSettingsPage } from '../pages/hall/QueueSettingsPage';
import { PickupPage } from '../pages/pickup';
import { ReportsPage } from '../pages/reports';
import { ReviewPage } from '../pages/review';
import { SettingsPage } from '../pages/settings';
import { StationPage } from '../pages/station';
import { StatsPage } from '../pages/stats';
import { SyncPage } from '../pages/sync';
import { WorkbenchPage } from '../pages/workbench';

/** One entry per page: its path, menu label, who may open it, and the F-key or shortcut shown in the menu. */
export interface PageRoute {
  path: string;
  label: string;
  element: ReactNode;
  /** Roles that see this page; the core checks the same rights on every call. */
  roles: readonly Role[];
}

export const PAGE_ROUTES: readonly PageRoute[] = [
  { path: '/workbench', label: '柜员工作台', element: <WorkbenchPage />, roles: ['teller', 'admin'] },
  { path: '/pickup', label: '统一出件', element: <PickupPage />, roles: ['teller'] },
  { path: '/hall', label: '叫号', element: <HallPage />, roles: ['teller', 'admin'] },
  { path: '/hall/devices', label: '大厅设备', element: <HallDevicesPage />, roles: ['admin'] },
  { path: '/hall/settings', label: '叫号设置', element: <QueueSettingsPage />, roles: ['admin'] },
  { path: '/stats', label: '评价统计', element: <StatsPage />, roles: ['reviewer', 'admin'] },
  { path: '/review', label: '复核审批', element: <ReviewPage />, roles: ['reviewer', 'approver'] },
  { path: '/archive', label: '档案查询', element: <ArchiveSearchPage />, roles: ['teller', 'reviewer', 'admin'] },
  { path: '/audit', label: '审计日志', element: <AuditPage />, roles: ['admin'] },
  { path: '/station', label: '站点设置', element: <StationPage />, roles: ['admin'] },
  { path: '/settings', label: '设备设置', element: <SettingsPage />, roles: ['admin'] },
  { path: '/reports', label: '统计报表', element: <ReportsPage />, roles: ['admin', 'approver'] },
  { path: '/backup', label: '数据备份', element: <BackupPage />, roles: ['admin'] },
  { path: '/dayclose', label: '日结', element: <DayClosePage />, roles: ['reviewer', 'admin'] },
  { path: '/sync', label: '数据同步', element: <SyncPage />, roles: ['teller', 'reviewer', 'approver', 'admin'] },
];

export function routesFor(role: Role): PageRoute[] {
  return PAGE_ROUTES.filter((r) => r.roles.includes(role));
}
