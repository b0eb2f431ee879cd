import { Alert, Button, Card, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { TicketView } from '#shared/api/queue';
import { SERVICE_OUTCOMES, SERVICE_OUTCOME_LABELS, TICKET_STATUS_LABELS, type ServiceOutcome } from '#shared/domain/queue/ticket';
import { client } from '../../../app/client';
import { useHallLink } from '../../../stores/hall-link';
import { useWindowQueue } from '../window-store';
import { HallLinkBanner } from './HallLinkBanner';
import { TransferDialog } from './TransferDialog';

/**
 * The counter's queue controls in one compact card: the ticket at this window and what can be done with it, held
 * tickets to call back, pause with a reason. Loads and follows the hall by itself, so it can sit on any page.
 */
export function QueuePanel() {
  const { view, error, busy, act, clearError } = useWindowQueue();
  const [outcome, setOutcome] = useState<ServiceOutcome>('completed');
  const [transfer, setTransfer] = useState<TicketView | null>(null);
  const [pausing, setPausing] = useState(false);
  const [reason, setReason] = useState('');

  useEffect(() => {
    const { refresh } = useWindowQueue.getState();
    void refresh();
    void client().call('queue.subscribe', {});
    const offLink = useHallLink.getState().connect();
    // Another window's call or a new ticket changes what this window may call next; so does the hall host coming back.
    const offQueue = client().onEvent((e) => {
      if (e.type === 'queue.snapshot' || e.type === 'hall.link') void refresh();
    });
    return () => {
      offLink();
      offQueue();
    };
  }, []);

  const current = view?.current ?? null;
  const can = (a: TicketView['actions'][number]) => current?.actions.includes(a) ?? false;
  return (
    <Card
      size="small"
      title={
        <Space>
          叫号
          {view && <Tag color={view.paused ? 'red' : 'green'}>{view.paused ? `暂停：${view.pauseReason}` : '服务中'}</Tag>}
          {view && <Typography.Text type="secondary">今日已办结 {view.servedToday}</Typography.Text>}
        </Space>
      }
      extra={
        view?.paused ? (
          <Button onClick={() => void act('queue.resume', {})}>恢复叫号</Button>
        ) : (
          <Button onClick={() => setPausing(true)}>暂停</Button>
        )
      }
      data-testid="queue-panel"
    >
      <HallLinkBanner />
      {error && <Alert type="error" showIcon closable onClose={clearError} title={error} role="alert" style={{ marginBottom: 8 }} />}
      <div style={{ display: 'flex', alignItems: 'center', gap: 16, marginBottom: 12 }}>
        <span style={{ fontSize: 40, fontWeight: 700, color: '#1f5fae', minWidth: 120 }} aria-label="当前号码">
          {current?.ticketNo ?? '—'}
        </span>
        {current && (
          <span>
            {current.categoryName} · {TICKET_STATUS_LABELS[current.status]}
            {current.callCount > 1 && ` · 已呼叫${current.callCount}次`}
            {current.personName && ` · ${current.personName}`}
          </span>
        )}
      </div>
      <Space wrap>
        <Button type="primary" disabled={busy || current !== null || view?.paused} onClick={() => void act('queue.callNext', {})}>
          呼叫下一位
        </Button>
        <Button disabled={!can('recall')} onClick={() => void act('queue.recall', { ticketId: current!.id })}>
          重呼
        </Button>
        <Button disabled={!can('start')} onClick={() => void act('queue.start', { ticketId: current!.id })}>
          开始办理
        </Button>
        <Button disabled={!can('no_show')} onClick={() => void act('queue.noShow', { ticketId: current!.id })}>
          过号
        </Button>
        <Button disabled={!can('hold')} onClick={() => void act('queue.hold', { ticketId: current!.id })}>
          暂挂
        </Button>
        <Button disabled={!can('transfer')} onClick={() => setTransfer(current)}>
          转移
        </Button>
      </Space>
      {can('end') && (
        <Space style={{ marginTop: 12 }}>
          <Select
            aria-label="办理结果"
            value={outcome}
            onChange={setOutcome}
            style={{ width: 180 }}
            options={SERVICE_OUTCOMES.map((o) => ({ value: o, label: SERVICE_OUTCOME_LABELS[o] }))}
          />
          <Button type="primary" onClick={() => void act('queue.end', { ticketId: current!.id, outcome })}>
            结束办理
          </Button>
        </Space>
      )}
      {view && view.held.length > 0 && (
        <div style={{ marginTop: 12 }}>
          暂挂：
          {view.held.map((t) => (
            <Button key={t.id} size="small" style={{ marginRight: 8 }} onClick={() => void act('queue.callBack', { ticketId: t.id })}>
              回呼 {t.ticketNo}
            </Button>
          ))}
        </div>
      )}
      {transfer && <TransferDialog ticket={transfer} onClose={() => setTransfer(null)} />}
      <Modal
        title="暂停叫号"
        open={pausing}
        okText="暂停"
        onCancel={() => setPausing(false)}
        onOk={() =>
          void act('queue.pause', { reason }).then((ok) => {
            if (ok) setPausing(false);
          })
        }
      >
        <Input
          aria-label="暂停原因"
          placeholder="如：临时离开、系统维护（叫号屏显示）"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={20}
        />
      </Modal>
    </Card>
  );
}
