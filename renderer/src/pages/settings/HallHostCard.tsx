import { Alert, Button, Card, Form, Input, Popconfirm, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { HallLinkStatus } from '#shared/api/queue';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { useHallLink } from '../../stores/hall-link';

const STATE_TAGS: Record<HallLinkStatus['state'], { color: string; text: string }> = {
  host: { color: 'blue', text: '本机即大厅主机' },
  connecting: { color: 'gold', text: '正在连接' },
  online: { color: 'green', text: '已连接' },
  offline: { color: 'red', text: '连接中断' },
};

/**
 * 大厅主机: a counter PC of a hall with several windows takes its queue from the hall host; a one-window station (or
 * the host itself) leaves this empty.
 */
export function HallHostCard() {
  const status = useHallLink((s) => s.status);
  const [form] = Form.useForm<{ url: string; key: string }>();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => useHallLink.getState().connect(), []);
  useEffect(() => {
    if (status?.url) form.setFieldValue('url', status.url);
  }, [status?.url, form]);

  async function save(params: { url: string; key: string } | { url: null }) {
    setError(null);
    try {
      useHallLink.getState().set(await client().call('hall.setLink', params));
      form.setFieldValue('key', '');
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const tag = status ? STATE_TAGS[status.state] : null;
  return (
    <Card
      title="大厅主机"
      size="small"
      extra={
        tag && (
          <Tag color={tag.color} data-testid="hall-link-state">
            {tag.text}
          </Tag>
        )
      }
      aria-label="大厅主机"
    >
      <Typography.Paragraph type="secondary">
        多窗口大厅中，由一台电脑作为大厅主机统一管理排队叫号，其他窗口电脑在此填写主机地址和窗口终端密钥（在主机的“大厅设备”中添加“窗口终端”获得）。
        单窗口站点无需设置。连接中断时本机仍可临时接待无号群众，恢复后自动交给大厅主机。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      {status && status.state !== 'host' && (
        <Typography.Paragraph>
          {status.url} · {status.windowNo ? `${status.windowNo}号窗口` : '尚未配对'}
          {status.error && status.state !== 'online' && <Typography.Text type="danger"> · {status.error}</Typography.Text>}
          {status.pendingVisits > 0 && ` · 待交接临时接待 ${status.pendingVisits} 笔`}
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)} aria-label="大厅主机设置">
        <Form.Item name="url" label="大厅主机地址" rules={[{ required: true, message: '请输入大厅主机地址' }]}>
          <Input aria-label="大厅主机地址" placeholder="http://192.168.1.10:5180" />
        </Form.Item>
        <Form.Item name="key" label="窗口终端密钥" rules={[{ required: true, message: '请输入窗口终端密钥' }]}>
          <Input.Password aria-label="窗口终端密钥" autoComplete="off" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            连接大厅主机
          </Button>
          {status && status.state !== 'host' && (
            <Popconfirm title="改为本机即大厅主机？本机将不再使用大厅主机的排队。" onConfirm={() => void save({ url: null })}>
              <Button>取消连接</Button>
            </Popconfirm>
          )}
        </Space>
      </Form>
    </Card>
  );
}
