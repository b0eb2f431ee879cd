import { Alert, Button, Card, Descriptions, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { HALL_DEVICE_KINDS, HALL_DEVICE_LABELS, WINDOW_DEVICE_KINDS, type HallDevice, type HallDeviceKind } from '#shared/api/queue';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { useSession } from '../../stores/session';
import { hallDeviceUrl } from './device';

interface Enrolled {
  device: HallDevice;
  key: string;
}

const time = (iso: string) => new Date(iso).toLocaleString('zh-CN', { hour12: false });
/** The display this PC shows on its own second monitor (or a new tab in a browser). */
const SECOND_SCREEN = '本机第二屏';

/** 大厅设备 (admin): every kiosk, display, evaluator and counter PC of the hall, each enrolled with its own key. */
export function HallDevicesPage() {
  const windows = useSession((s) => s.station?.windows ?? []);
  const [devices, setDevices] = useState<HallDevice[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [enrolled, setEnrolled] = useState<Enrolled | null>(null);

  const load = useCallback(() => {
    client()
      .call('hall.devices', {})
      .then(setDevices, (err: unknown) => setError(errorMessage(err)));
  }, []);
  useEffect(load, [load]);

  async function run(action: () => Promise<Enrolled | HallDevice>) {
    setError(null);
    try {
      const r = await action();
      if ('key' in r) setEnrolled(r);
      load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  /** Opens the hall display on this PC's second screen, re-keying the one it had (its old window reloads with the new key). */
  async function openSecondScreen() {
    setError(null);
    try {
      const existing = devices.find((d) => d.kind === 'display' && d.name === SECOND_SCREEN && !d.revokedAt);
      const { key } = existing
        ? await client().call('hall.rotateDevice', { id: existing.id })
        : await client().call('hall.addDevice', { kind: 'display', name: SECOND_SCREEN, windowNo: null });
      window.open(hallDeviceUrl(location.origin, 'display', key), 'yichuang-hall-display');
      load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
      <Card
        size="small"
        title="大厅设备"
        extra={
          <Space>
            <Button onClick={() => void openSecondScreen()}>在本机第二屏打开叫号屏</Button>
            <Button onClick={load}>刷新</Button>
            <Button type="primary" onClick={() => setAdding(true)}>
              添加设备
            </Button>
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">
          每台取号机、叫号屏、评价器和窗口终端都有自己的密钥：添加设备后在该设备上打开显示的地址（窗口终端则在其“设备设置 →
          大厅主机”中填写）。密钥只显示一次；遗失时“更换密钥”，设备停用后立即断开。局域网设备请将地址中的 127.0.0.1
          换成本机的局域网地址（启动时设置 HOST=0.0.0.0）。
        </Typography.Paragraph>
        <Table<HallDevice>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={devices}
          locale={{ emptyText: '尚未添加设备' }}
          columns={[
            { title: '类型', dataIndex: 'kind', render: (k: HallDeviceKind) => HALL_DEVICE_LABELS[k] },
            { title: '名称', dataIndex: 'name' },
            { title: '窗口', dataIndex: 'windowNo', render: (w: number | null) => (w === null ? '—' : `${w}号窗口`) },
            {
              title: '状态',
              render: (_: unknown, d) =>
                d.revokedAt ? <Tag>已停用</Tag> : d.online ? <Tag color="green">在线</Tag> : <Tag color="orange">未连接</Tag>,
            },
            { title: '添加时间', dataIndex: 'createdAt', render: time },
            {
              title: '操作',
              render: (_: unknown, d) =>
                d.revokedAt ? null : (
                  <Space>
                    <Popconfirm
                      title="更换密钥后旧地址立即失效，确定吗？"
                      onConfirm={() => void run(() => client().call('hall.rotateDevice', { id: d.id }))}
                    >
                      <Button size="small">更换密钥</Button>
                    </Popconfirm>
                    <Popconfirm
                      title={`停用“${d.name}”？`}
                      onConfirm={() => void run(() => client().call('hall.revokeDevice', { id: d.id }))}
                    >
                      <Button size="small" danger>
                        停用
                      </Button>
                    </Popconfirm>
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      <AddDeviceDialog
        open={adding}
        windows={windows}
        onClose={() => setAdding(false)}
        onAdd={async (values) => {
          setAdding(false);
          await run(() => client().call('hall.addDevice', values));
        }}
      />
      <Modal
        open={enrolled !== null}
        title="设备配对信息（只显示这一次）"
        footer={
          <Button type="primary" onClick={() => setEnrolled(null)}>
            已记下
          </Button>
        }
        onCancel={() => setEnrolled(null)}
        width={720}
      >
        {enrolled && <EnrolledDevice enrolled={enrolled} />}
      </Modal>
    </Space>
  );
}

interface AddValues {
  kind: HallDeviceKind;
  name: string;
  windowNo: number | null;
}

function AddDeviceDialog(props: { open: boolean; windows: number[]; onClose(): void; onAdd(values: AddValues): Promise<void> }) {
  const [form] = Form.useForm<AddValues>();
  const kind = Form.useWatch('kind', form);
  const forWindow = kind !== undefined && WINDOW_DEVICE_KINDS.includes(kind);
  return (
    <Modal
      open={props.open}
      title="添加大厅设备"
      okText="添加"
      onCancel={props.onClose}
      onOk={() => void form.validateFields().then((v) => props.onAdd({ ...v, windowNo: forWindow ? v.windowNo : null }))}
      afterClose={() => form.resetFields()}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: 'kiosk', name: HALL_DEVICE_LABELS.kiosk, windowNo: null }}
        onValuesChange={(changed: Partial<AddValues>) => {
          if (changed.kind) form.setFieldValue('name', HALL_DEVICE_LABELS[changed.kind]);
        }}
      >
        <Form.Item name="kind" label="设备类型">
          <Select aria-label="设备类型" options={HALL_DEVICE_KINDS.map((k) => ({ value: k, label: HALL_DEVICE_LABELS[k] }))} />
        </Form.Item>
        <Form.Item name="name" label="设备名称" rules={[{ required: true, min: 2, max: 20, message: '设备名称为2至20个字' }]}>
          <Input aria-label="设备名称" />
        </Form.Item>
        {forWindow && (
          <Form.Item name="windowNo" label="所属窗口" rules={[{ required: true, message: '请选择该设备所在的窗口' }]}>
            <Select aria-label="所属窗口" options={props.windows.map((w) => ({ value: w, label: `${w}号窗口` }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** What to give the new device: the address a screen opens, or the host address and key a counter PC enters. */
function EnrolledDevice({ enrolled: { device, key } }: { enrolled: Enrolled }) {
  // The address as this browser reaches the host; on the LAN use the host PC's address instead of 127.0.0.1.
  const origin = location.origin;
  if (device.kind === 'counter') {
    return (
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label="设备">
          {device.name}（{device.windowNo}号窗口）
        </Descriptions.Item>
        <Descriptions.Item label="大厅主机地址">
          <Typography.Text copyable code data-testid="host-url">
            {origin}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label="窗口终端密钥">
          <Typography.Text copyable code data-testid="device-key">
            {key}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label="使用方法">在该窗口电脑上以管理员登录，打开“设备设置 → 大厅主机”，填入以上地址和密钥。</Descriptions.Item>
      </Descriptions>
    );
  }
  return (
    <Descriptions column={1} bordered size="small">
      <Descriptions.Item label="设备">
        {device.name}
        {device.windowNo !== null && `（${device.windowNo}号窗口）`}
      </Descriptions.Item>
      <Descriptions.Item label="配对地址">
        <Typography.Text copyable code data-testid="device-url">
          {hallDeviceUrl(origin, device.kind, key)}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label="使用方法">在该设备的浏览器中全屏打开此地址（建议设为开机自动打开），无需登录。</Descriptions.Item>
    </Descriptions>
  );
}
