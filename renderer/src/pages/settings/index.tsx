import { Alert, Badge, Button, Card, Form, Input, Radio, Select, Space, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { CARD_KIND_LABELS, PAPER_COLUMNS_ALLOWED, PRINTER_STATE_LABELS, type CardView, type DeviceSettingsView } from '#shared/api/devices';
import { ApiError } from '#shared/api/errors';
import { maskMiddle, maskName } from '#shared/domain/identity/masking';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { StatusAlert, type StatusMessage } from '../../components/StatusAlert';
import { useDevices } from '../../stores/devices';
import { HallHostCard } from './HallHostCard';
import { ScannerFolderCard } from './ScannerFolderCard';

const READER_HELP = 'simulated（模拟读卡器）、none（不使用）或 serial:串口?baud=波特率，例如 serial:COM5?baud=9600';

/** A test read shows only masked data: the admin checks the reader works, not whose card it is. */
const maskedCard = (c: CardView) =>
  [CARD_KIND_LABELS[c.kind], maskName(c.name), c.idNumberMasked, c.cardNumber && `卡号 ${maskMiddle(c.cardNumber, 1, 2)}`]
    .filter(Boolean)
    .join('  ');

type CardTest = { type: 'info' | 'success' | 'warning' | 'error'; text: string };

/** The admin's page for this counter's printer and card readers, with a test print and a test read. */
export function SettingsPage() {
  const [form] = Form.useForm<DeviceSettingsView>();
  const paperMm = Form.useWatch('paperMm', form);
  const overview = useDevices((s) => s.overview);
  const lastOutput = useDevices((s) => s.lastOutput);
  const [message, setMessage] = useState<StatusMessage | null>(null);
  const [busy, setBusy] = useState(false);
  const [cardTest, setCardTest] = useState<CardTest | null>(null);

  useEffect(() => useDevices.getState().connect(), []);
  useEffect(() => {
    void client()
      .call('devices.settings', {})
      .then(
        (settings) => form.setFieldsValue(settings),
        (err: unknown) => setMessage({ type: 'error', text: errorMessage(err) }),
      );
  }, [form]);

  // A paper width allows only its own column counts; keep the choice valid when the paper changes.
  useEffect(() => {
    const allowed = paperMm ? PAPER_COLUMNS_ALLOWED[paperMm] : undefined;
    if (allowed && !allowed.includes(form.getFieldValue('columns') as number)) form.setFieldValue('columns', allowed.at(-1));
  }, [paperMm, form]);

  async function save(values: DeviceSettingsView) {
    setBusy(true);
    setMessage(null);
    try {
      form.setFieldsValue(await client().call('devices.saveSettings', values));
      setMessage({ type: 'success', text: '设备设置已保存并生效' });
    } catch (err) {
      if (err instanceof ApiError && err.issues) {
        form.setFields(err.issues.map((i) => ({ name: i.path as keyof DeviceSettingsView, errors: [i.message] })));
      }
      setMessage({ type: 'error', text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  async function testPrint() {
    setMessage(null);
    try {
      await client().call('printer.test', {});
      setMessage({ type: 'success', text: '测试页已加入打印队列' });
    } catch (err) {
      setMessage({ type: 'error', text: errorMessage(err) });
    }
  }

  /** 测试读卡: card.read announces the card (or waits for one); its event carries what was read. */
  async function testRead() {
    const waiting: CardTest = { type: 'info', text: '请在10秒内插入社保卡或放置身份证…' };
    setCardTest(waiting);
    const stop = client().onEvent((e) => {
      if (e.type === 'card.read') setCardTest({ type: 'success', text: `读卡成功：${maskedCard(e.card)}` });
      if (e.type === 'card.error') setCardTest({ type: 'error', text: `读卡失败：${e.message}` });
    });
    try {
      const { found } = await client().call('card.read', {});
      if (!found) setCardTest((t) => (t === waiting ? { type: 'warning', text: '10秒内没有读到卡片，请检查读卡器和卡片后重试' } : t));
    } catch (err) {
      setCardTest({ type: 'error', text: errorMessage(err) });
    } finally {
      stop();
    }
  }

  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'minmax(420px, 640px) 1fr', gap: 16, alignItems: 'start' }}>
      <Card title="本机设备设置" size="small">
        <StatusAlert message={message} />
        <Form form={form} layout="vertical" onFinish={(v) => void save(v)} aria-label="设备设置">
          <Typography.Title level={5}>热敏打印机</Typography.Title>
          <Form.Item
            label="打印机地址"
            name="printerUri"
            rules={[{ required: true, message: '请填写打印机地址' }]}
            extra="网络打印机 tcp://192.168.1.50:9100；串口 serial:COM3?baud=9600；USB 设备路径 /dev/usb/lp0 或 \\.\USB001；演示用 virtual"
          >
            <Input />
          </Form.Item>
          <Space size="large" wrap>
            <Form.Item label="纸宽" name="paperMm">
              <Radio.Group
                options={[
                  { value: 58, label: '58毫米' },
                  { value: 80, label: '80毫米' },
                ]}
              />
            </Form.Item>
            <Form.Item label="每行列数" name="columns" extra="打印测试页时右边被截断或折行，说明列数过大">
              <Select
                style={{ width: 200 }}
                options={(paperMm ? PAPER_COLUMNS_ALLOWED[paperMm] : [32, 42, 48]).map((c) => ({
                  value: c,
                  label: c === 42 ? '42列（爱普生 TM-T88）' : `${c}列`,
                }))}
              />
            </Form.Item>
            <Form.Item label="打印后切纸" name="cut" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
          <Typography.Title level={5}>读卡器</Typography.Title>
          <Form.Item
            label="社保卡读卡器"
            name="socialSecurityReader"
            extra={READER_HELP}
            rules={[{ required: true, message: '请填写读卡器' }]}
          >
            <Input />
          </Form.Item>
          <Form.Item label="身份证阅读器" name="idCardReader" extra={READER_HELP} rules={[{ required: true, message: '请填写读卡器' }]}>
            <Input />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={busy}>
              保存设置
            </Button>
            <Button onClick={() => void testPrint()}>打印测试页</Button>
            <Button onClick={() => void testRead()} loading={cardTest?.type === 'info'}>
              测试读卡
            </Button>
          </Space>
          {cardTest && (
            <Alert type={cardTest.type} showIcon title={cardTest.text} role="status" data-testid="card-test" style={{ marginTop: 12 }} />
          )}
        </Form>
      </Card>
      <Card title="当前状态" size="small" data-testid="device-state">
        {overview && (
          <>
            <div>
              <Badge status={overview.printer.state === 'online' ? 'success' : 'error'} /> 打印机 {overview.printer.uri}：
              {PRINTER_STATE_LABELS[overview.printer.state]}（{overview.printer.detail}）
            </div>
            {overview.readers.map((r) => (
              <div key={r.kind}>
                <Badge status={r.state === 'connected' ? 'success' : 'default'} /> {r.name}：{r.detail}
              </div>
            ))}
          </>
        )}
        {overview?.printer.simulated && lastOutput && (
          <img src={lastOutput.png} alt="虚拟打印机最近打出的单据" style={{ maxWidth: '100%', marginTop: 12, border: '1px solid #eee' }} />
        )}
      </Card>
      <HallHostCard />
      <ScannerFolderCard />
    </div>
  );
}
