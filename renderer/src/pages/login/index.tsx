import { Alert, Button, Card, Form, Input, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { useSession } from '../../stores/session';
import { FirstEnrolment } from './FirstEnrolment';

interface LoginForm {
  username: string;
  password: string;
  windowNo: number;
}

export function LoginPage() {
  const station = useSession((s) => s.station);
  const login = useSession((s) => s.login);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const windows = station?.windows ?? [];
  const [needsEnrolment, setNeedsEnrolment] = useState(false);
  const [enrolled, setEnrolled] = useState(false);

  useEffect(() => {
    void client()
      .call('sync.setup', {})
      .then(
        (s) => setNeedsEnrolment(s.needsEnrolment),
        () => undefined,
      );
  }, []);

  async function submit(values: LoginForm) {
    setBusy(true);
    setError(null);
    try {
      await login(values.username, values.password, values.windowNo);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-page">
      <Card className="login-card">
        <Typography.Title level={2} style={{ marginTop: 0 }}>
          一窗通 · 综合柜员登录
        </Typography.Title>
        <Typography.Paragraph type="secondary">{station ? `${station.name}（${station.code}）` : '未设置站点'}</Typography.Paragraph>
        {needsEnrolment && (
          <FirstEnrolment
            onEnrolled={() => {
              setNeedsEnrolment(false);
              setEnrolled(true);
              void useSession.getState().load();
            }}
          />
        )}
        {enrolled && <Alert type="success" showIcon title="本机已注册到中心，请使用中心下发的账号登录" style={{ marginBottom: 16 }} />}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        {!needsEnrolment && (
          <Form<LoginForm> layout="vertical" onFinish={submit} initialValues={{ windowNo: windows[0] }} requiredMark={false}>
            <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
              <Input autoFocus autoComplete="username" size="large" />
            </Form.Item>
            <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
              <Input.Password autoComplete="current-password" size="large" />
            </Form.Item>
            <Form.Item label="窗口" name="windowNo" rules={[{ required: true, message: '请选择窗口' }]}>
              <Select size="large" options={windows.map((w) => ({ value: w, label: `${w}号窗口` }))} />
            </Form.Item>
            <Button type="primary" htmlType="submit" size="large" block loading={busy}>
              登录
            </Button>
          </Form>
        )}
      </Card>
    </div>
  );
}
