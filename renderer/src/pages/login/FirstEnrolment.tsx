import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';

/**
 * First start of a PC that has no accounts yet: it is enrolled with the central office first (address and one-time
 * code from the central administrator), which brings the station's settings and the accounts people sign in with.
 */
export function FirstEnrolment({ onEnrolled }: { onEnrolled(): void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function enrol(values: { centralUrl: string; code: string }) {
    setBusy(true);
    setError(null);
    try {
      await client().call('sync.bootstrap', values);
      onEnrolled();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title="首次使用：请先注册到中心"
        description="本机还没有任何账号。请填入中心地址和中心管理员提供的一次性注册码；注册后中心会下发本站设置和柜员账号。"
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
      <Form
        layout="vertical"
        aria-label="首次注册"
        onFinish={(v: { centralUrl: string; code: string }) => void enrol(v)}
        requiredMark={false}
      >
        <Form.Item label="中心地址" name="centralUrl" rules={[{ required: true, message: '请输入中心地址' }]}>
          <Input size="large" placeholder="https://sync.example.gov.cn" autoFocus />
        </Form.Item>
        <Form.Item label="注册码" name="code" rules={[{ required: true, message: '请输入注册码' }]}>
          <Input size="large" autoComplete="off" />
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" block loading={busy}>
          注册到中心
        </Button>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        注册只能在本机进行；本机生成的设备密钥只保存在本机数据目录中。
      </Typography.Paragraph>
    </>
  );
}
