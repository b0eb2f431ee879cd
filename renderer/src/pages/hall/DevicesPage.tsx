import { Alert, Button, Card, InputNumber, Popconfirm, Space, Switch, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { ResultOf } from '#shared/api/contract';
import { HALL_DEVICE_LABELS, type HallDeviceKind } from '#shared/api/queue';
import type { QueueSettings } from '#shared/domain/queue/settings';
import { TICKET_KIND_LABELS } from '#shared/domain/queue/categories';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { useSession } from '../../stores/session';
import { hallDeviceUrl } from './device';

type Keys = ResultOf<'hall.deviceKeys'>;

/** 大厅设备 (admin): pairing addresses for the kiosk, display and evaluators, key rotation, and the calling rules. */
export function HallDevicesPage() {
  const windows = useSession((s) => s.station?.windows ?? []);
  const [keys, setKeys] = useState<Keys>([]);
  const [settings, setSettings] = useState<QueueSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const load = useCallback(() => {
    Promise.all([client().call('hall.deviceKeys', {}), client().call('queue.settings', {})]).then(
      ([k, s]) => {
        setKeys(k);
        setSettings(s);
      },
      (err: unknown) => setError(errorMessage(err)),
    );
  }, []);
  useEffect(load, [load]);

  async function rotate(kind: HallDeviceKind) {
    try {
      await client().call('hall.rotateDeviceKey', { kind });
      load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function save() {
    if (!settings) return;
    setError(null);
    try {
      setSettings(await client().call('queue.updateSettings', settings));
      setSaved(true);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  // The address as this browser reaches the host; on the LAN use the host PC's address instead of 127.0.0.1.
  const origin = location.origin;
  const rows = keys.flatMap((k) =>
    k.kind === 'evaluator'
      ? windows.map((w) => ({
          id: `${k.kind}-${w}`,
          kind: k.kind,
          label: `${HALL_DEVICE_LABELS[k.kind]}（${w}号窗口）`,
          url: hallDeviceUrl(origin, k.kind, k.key, w),
        }))
      : [{ id: k.kind, kind: k.kind, label: HALL_DEVICE_LABELS[k.kind], url: hallDeviceUrl(origin, k.kind, k.key) }],
  );
  const set = <K extends keyof QueueSettings>(key: K, value: QueueSettings[K]) => {
    setSaved(false);
    setSettings((s) => (s ? { ...s, [key]: value } : s));
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
      <Card size="small" title="大厅设备配对地址">
        <Typography.Paragraph type="secondary">
          在取号机、叫号屏、评价器的浏览器中打开对应地址即可使用，无需登录。局域网设备请将地址中的主机换成本机的局域网地址（启动时设置
          HOST=0.0.0.0）。更换密钥后旧地址立即失效。
        </Typography.Paragraph>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: '设备', dataIndex: 'label', width: 180 },
            {
              title: '配对地址',
              dataIndex: 'url',
              render: (url: string) => (
                <Typography.Text copyable code data-testid="device-url">
                  {url}
                </Typography.Text>
              ),
            },
          ]}
        />
        <Space style={{ marginTop: 12 }}>
          {keys.map((k) => (
            <Popconfirm key={k.kind} title="更换密钥后旧地址立即失效，确定吗？" onConfirm={() => void rotate(k.kind)}>
              <Button size="small">更换{HALL_DEVICE_LABELS[k.kind]}密钥</Button>
            </Popconfirm>
          ))}
        </Space>
      </Card>
      {settings && (
        <Card
          size="small"
          title="叫号规则"
          extra={
            <Button type="primary" onClick={() => void save()}>
              {saved ? '已保存' : '保存'}
            </Button>
          }
        >
          <Space wrap size="large">
            <span>
              等候超过（分钟）优先呼叫：
              <InputNumber
                aria-label="等候超时"
                min={5}
                max={480}
                value={settings.waitOverrideMinutes}
                onChange={(v) => set('waitOverrideMinutes', v)}
              />
            </span>
            <span>
              过号前至少呼叫：
              <InputNumber
                aria-label="最少呼叫次数"
                min={1}
                max={5}
                value={settings.recallMinCalls}
                onChange={(v) => set('recallMinCalls', v ?? 1)}
              />{' '}
              次
            </span>
            <span>
              间隔：
              <InputNumber
                aria-label="重呼间隔"
                min={0}
                max={600}
                value={settings.recallMinGapSeconds}
                onChange={(v) => set('recallMinGapSeconds', v ?? 0)}
              />{' '}
              秒
            </span>
            <span>
              候时目标：
              <InputNumber
                aria-label="候时目标"
                min={1}
                max={240}
                value={settings.waitTargetMinutes}
                onChange={(v) => set('waitTargetMinutes', v ?? 20)}
              />{' '}
              分钟
            </span>
            <span>
              语音播报次数：
              <InputNumber
                aria-label="播报次数"
                min={1}
                max={3}
                value={settings.voiceRepeat}
                onChange={(v) => set('voiceRepeat', v ?? 1)}
              />
            </span>
            <span>
              提示音 <Switch aria-label="提示音" checked={settings.voiceChime} onChange={(v) => set('voiceChime', v)} />
            </span>
            <span>
              未办结号码次日顺延 <Switch aria-label="次日顺延" checked={settings.carryOver} onChange={(v) => set('carryOver', v)} />
            </span>
          </Space>
          <Table
            style={{ marginTop: 16 }}
            rowKey="code"
            size="small"
            pagination={false}
            dataSource={settings.categories}
            columns={[
              { title: '前缀', dataIndex: 'code' },
              { title: '名称', dataIndex: 'name' },
              { title: '类型', dataIndex: 'kind', render: (k: keyof typeof TICKET_KIND_LABELS) => TICKET_KIND_LABELS[k] },
              { title: '号段', render: (_: unknown, c: QueueSettings['categories'][number]) => `${c.numberFrom}–${c.numberTo}` },
              { title: '每日上限', dataIndex: 'dailyCap', render: (v: number | null) => v ?? '不限' },
              { title: '取号时间', render: (_: unknown, c: QueueSettings['categories'][number]) => `${c.hours.from}–${c.hours.to}` },
              { title: '叫号比例', dataIndex: 'weight' },
              { title: '办理窗口', dataIndex: 'windows', render: (w: number[]) => w.join('、') },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}
