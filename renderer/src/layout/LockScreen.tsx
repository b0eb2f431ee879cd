import { LockOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../app/errors';
import { useSession } from '../stores/session';

/** Covers the workbench until the same operator enters the password again. */
export function LockScreen() {
  const session = useSession((s) => s.session)!;
  const unlock = useSession((s) => s.unlock);
  const logout = useSession((s) => s.logout);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ password: string }>();

  async function submit({ password }: { password: string }) {
    setError(null);
    try {
      await unlock(password);
    } catch (err) {
      setError(errorMessage(err));
      form.resetFields();
    }
  }

  return (
    <div className="lock-screen" role="dialog" aria-label="屏幕已锁定">
      <Card className="lock-card">
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          <LockOutlined /> 屏幕已锁定
        </Typography.Title>
        <Typography.Paragraph>
          {session.operator.displayName}，请输入密码解锁，继续在{session.windowNo}号窗口办理。
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
        <Form form={form} onFinish={submit} layout="vertical" requiredMark={false}>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoFocus size="large" autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large">
            解锁
          </Button>
          <Button type="link" block onClick={() => void logout()} style={{ marginTop: 8 }}>
            换人登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}
