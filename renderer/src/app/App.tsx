import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect } from 'react';
import { HashRouter, Navigate, Route, Routes } from 'react-router';
import { AppLayout } from '../layout/AppLayout';
import { HallDevicePage } from '../pages/hall/HallDevicePage';
import { hallDeviceFromUrl } from '../pages/hall/device';
import { LoginPage } from '../pages/login';
import { useSession } from '../stores/session';
import { client } from './client';
import { routesFor } from './routes';
import { theme } from './theme';

dayjs.locale('zh-cn');

/** A hall screen opened with its pairing address (?device=…&key=…) shows its device page and never the login. */
const hallDevice = hallDeviceFromUrl(location.search);

function Routed() {
  const session = useSession((s) => s.session);
  if (session === undefined) return <Spin fullscreen tip="正在连接…" />;
  return (
    <Routes>
      {session === null ? (
        <>
          <Route path="/login" element={<LoginPage />} />
          <Route path="*" element={<Navigate to="/login" replace />} />
        </>
      ) : (
        <Route element={<AppLayout />}>
          {routesFor(session.operator.role).map((r) => (
            <Route key={r.path} path={r.path} element={r.element} />
          ))}
          <Route path="*" element={<Navigate to={routesFor(session.operator.role)[0]?.path ?? '/workbench'} replace />} />
        </Route>
      )}
    </Routes>
  );
}

export function App() {
  const load = useSession((s) => s.load);
  const setSession = useSession((s) => s.setSession);
  useEffect(() => {
    void load();
    return client().onEvent((event) => {
      if (event.type === 'session.changed') setSession(event.session);
    });
  }, [load, setSession]);

  return (
    <ConfigProvider locale={zhCN} theme={theme}>
      <AntApp>
        <HashRouter>{hallDevice ? <HallDevicePage device={hallDevice} /> : <Routed />}</HashRouter>
      </AntApp>
    </ConfigProvider>
  );
}
