import { Checkbox, Form, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import type { TicketView } from '#shared/api/queue';
import type { QueueSettings } from '#shared/domain/queue/settings';
import { client } from '../../../app/client';
import { useWindowQueue } from '../window-store';

/** Transfers the ticket to a category, optionally a window, keeping its place in the queue or going last. */
export function TransferDialog({ ticket, onClose }: { ticket: TicketView; onClose: () => void }) {
  const act = useWindowQueue((s) => s.act);
  const [settings, setSettings] = useState<QueueSettings | null>(null);
  const [categoryCode, setCategoryCode] = useState(ticket.categoryCode);
  const [toWindow, setToWindow] = useState<number | null>(null);
  const [keepPlace, setKeepPlace] = useState(true);
  useEffect(() => {
    void client().call('queue.settings', {}).then(setSettings);
  }, []);
  const category = settings?.categories.find((c) => c.code === categoryCode);

  return (
    <Modal
      title={`转移 ${ticket.ticketNo}`}
      open
      okText="转移"
      onCancel={onClose}
      onOk={() =>
        void act('queue.transfer', { ticketId: ticket.id, categoryCode, toWindow, keepPlace }).then((ok) => {
          if (ok) onClose();
        })
      }
    >
      <Form layout="vertical">
        <Form.Item label="转至号类">
          <Select
            aria-label="转至号类"
            value={categoryCode}
            onChange={(v) => {
              setCategoryCode(v);
              setToWindow(null);
            }}
            options={settings?.categories.map((c) => ({ value: c.code, label: `${c.name}（${c.code}）` }))}
          />
        </Form.Item>
        <Form.Item label="指定窗口">
          <Select
            aria-label="指定窗口"
            value={toWindow ?? 0}
            onChange={(v) => setToWindow(v === 0 ? null : v)}
            options={[{ value: 0, label: '不指定' }, ...(category?.windows.map((w) => ({ value: w, label: `${w}号窗口` })) ?? [])]}
          />
        </Form.Item>
        <Checkbox checked={keepPlace} onChange={(e) => setKeepPlace(e.target.checked)}>
          保留原排队位置（不勾选则排到队尾）
        </Checkbox>
      </Form>
    </Modal>
  );
}
