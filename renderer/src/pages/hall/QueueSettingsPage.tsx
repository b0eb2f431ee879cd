import { Alert, Button, Card, InputNumber, Space, Switch, Table } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { TICKET_KIND_LABELS, type TicketCategory, type TicketKind } from '#shared/domain/queue/categories';
import type { QueueSettings } from '#shared/domain/queue/settings';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { useSession } from '../../stores/session';
import { CategoryEditor } from './components/CategoryEditor';

/**
 * 叫号设置 (admin): the calling rules and the ticket categories. Edits stay on the page until 保存 sends the whole
 * settings at once, so the core checks rules and categories together and a refusal leaves nothing half saved.
 */
export function QueueSettingsPage() {
  const windows = useSession((s) => s.station?.windows ?? []);
  const [settings, setSettings] = useState<QueueSettings | null>(null);
  const [dirty, setDirty] = useState(false);
  /** The category in the editor: its index, null for a new one; undefined while the editor is closed. */
  const [editing, setEditing] = useState<number | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    client()
      .call('queue.settings', {})
      .then(
        (s) => {
          setSettings(s);
          setDirty(false);
        },
        (err: unknown) => setError(errorMessage(err)),
      );
  }, []);
  useEffect(load, [load]);

  async function save() {
    if (!settings) return;
    setError(null);
    try {
      setSettings(await client().call('queue.updateSettings', settings));
      setDirty(false);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  if (!settings) return error ? <Alert type="error" showIcon title={error} role="alert" /> : null;

  const change = (next: QueueSettings) => {
    setSettings(next);
    setDirty(true);
  };
  const set = <K extends keyof QueueSettings>(key: K, value: QueueSettings[K]) => change({ ...settings, [key]: value });
  const remove = (index: number) => change({ ...settings, categories: settings.categories.filter((_, i) => i !== index) });

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
      <Card
        size="small"
        title="叫号规则"
        extra={
          <Space>
            {dirty && <Button onClick={load}>放弃修改</Button>}
            <Button type="primary" disabled={!dirty} onClick={() => void save()}>
              {dirty ? '保存' : '已保存'}
            </Button>
          </Space>
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
            <InputNumber aria-label="播报次数" min={1} max={3} value={settings.voiceRepeat} onChange={(v) => set('voiceRepeat', v ?? 1)} />
          </span>
          <span>
            提示音 <Switch aria-label="提示音" checked={settings.voiceChime} onChange={(v) => set('voiceChime', v)} />
          </span>
          <span>
            未办结号码次日顺延 <Switch aria-label="次日顺延" checked={settings.carryOver} onChange={(v) => set('carryOver', v)} />
          </span>
        </Space>
        <Space style={{ margin: '16px 0 8px' }}>
          <Button onClick={() => setEditing(null)}>新增号类</Button>
        </Space>
        <Table
          aria-label="号类"
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={settings.categories}
          columns={[
            { title: '前缀', dataIndex: 'code' },
            { title: '名称', dataIndex: 'name' },
            { title: '类型', dataIndex: 'kind', render: (k: TicketKind) => TICKET_KIND_LABELS[k] },
            { title: '号段', render: (_: unknown, c: TicketCategory) => `${c.numberFrom}–${c.numberTo}` },
            { title: '每日上限', dataIndex: 'dailyCap', render: (v: number | null) => v ?? '不限' },
            { title: '取号时间', render: (_: unknown, c: TicketCategory) => `${c.hours.from}–${c.hours.to}` },
            { title: '叫号比例', dataIndex: 'weight' },
            { title: '办理窗口', dataIndex: 'windows', render: (w: number[]) => w.join('、') },
            {
              title: '操作',
              render: (_value: unknown, _row: TicketCategory, i: number) => (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => setEditing(i)}>
                    编辑
                  </Button>
                  {/* The schema wants at least one category: the last one cannot go. */}
                  <Button type="link" size="small" danger disabled={settings.categories.length === 1} onClick={() => remove(i)}>
                    删除
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {editing !== undefined && (
        <CategoryEditor
          settings={settings}
          index={editing}
          windows={windows}
          onCancel={() => setEditing(undefined)}
          onDone={(next) => {
            change(next);
            setEditing(undefined);
          }}
        />
      )}
    </Space>
  );
}
