import { LockOutlined, LogoutOutlined } from '@ant-design/icons';
import { Button, Space, Tag } from 'antd';
import { useCallback, useEffect } from 'react';
import { NavLink, Outlet } from 'react-router';
import { ROLE_LABELS } from '#shared/api/roles';
import { routesFor } from '../app/routes';
import { useIdleLock } from '../hooks/useIdleLock';
import { useSession } from '../stores/session';
import { LockScreen } from './LockScreen';
import { SyncIndicator } from './SyncIndicator';

/** The frame of every page after login: who is at which window, lock and logout. */
export function AppLayout() {
  const session = useSession((s) => s.session)!;
  const station = useSession((s) => s.station);
  const lock = useSession((s) => s.lock);
  const logout = useSession((s) => s.logout);
  const lockNow = useCallback(() => void lock(), [lock]);

  useIdleLock(station?.idleLockMinutes, !session.locked, lockNow);
  useEffect(() => {
    // Ctrl+L locks the screen when the teller steps away.
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && e.key.toLowerCase() === 'l' && !session.locked) {
        e.preventDefault();
        lockNow();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [lockNow, session.locked]);

  return (
    <div style={{ minHeight: '100%' }}>
      <header className="app-header">
        <span className="brand">一窗通</span>
        <span>{station?.name}</span>
        <Tag color="gold">{session.windowNo}号窗口</Tag>
        <nav className="app-nav" aria-label="主菜单">
          {routesFor(session.operator.role).map((r) => (
            <NavLink key={r.path} to={r.path} end>
              {r.label}
            </NavLink>
          ))}
        </nav>
        <span className="spacer" />
        <SyncIndicator />
        <span className="who" data-testid="operator">
          {session.operator.displayName}（{ROLE_LABELS[session.operator.role]}）
        </span>
        <Space>
          <Button icon={<LockOutlined />} onClick={lockNow} title="锁屏 (Ctrl+L)">
            锁屏
          </Button>
          <Button icon={<LogoutOutlined />} onClick={() => void logout()}>
            退出
          </Button>
        </Space>
      </header>
      <main className="app-content">{session.locked ? null : <Outlet />}</main>
      {session.locked && <LockScreen />}
    </div>
  );
}
