import { Alert, Button, Card, Input, List, Select, Space, Tag } from 'antd';
import { useEffect, useState } from 'react';
import type { PrintBlock } from '#shared/documents/print-document';
import type { DocumentView } from '#shared/api/cases';
import type { DisplaySnapshot } from '#shared/api/queue';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { DocumentPreview } from '../../components/DocumentPreview';
import { QueuePanel } from './components/QueuePanel';
import { useWindowQueue } from './window-store';

const placeTime = (iso: string) => new Date(iso).toLocaleTimeString('zh-CN', { hour12: false });

/** 叫号: the teller's queue page: this window's controls, who waits for it, absentees, and tickets for walk-ins. */
export function HallPage() {
  const { view, act } = useWindowQueue();
  const [categories, setCategories] = useState<DisplaySnapshot['categories']>([]);
  const [categoryCode, setCategoryCode] = useState('A');
  const [idNumber, setIdNumber] = useState('');
  const [issued, setIssued] = useState<DocumentView | null>(null);
  const [error, setError] = useState<string | null>(null);

  // The hall's categories as pushed with every snapshot, so one added in 叫号设置 shows up here at once.
  useEffect(() => {
    void client()
      .call('queue.snapshot', {})
      .then((s) => setCategories(s.categories), () => undefined);
    return client().onEvent((e) => {
      if (e.type === 'queue.snapshot') setCategories(e.snapshot.categories);
    });
  }, []);

  async function issue() {
    setError(null);
    try {
      const r = await client().call('queue.issue', { categoryCode, ...(idNumber && { idNumber }) });
      setIssued(r.document);
      setIdNumber('');
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 16 }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <QueuePanel />
        <Card size="small" title="现场取号 / 无号办理">
          {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 8 }} />}
          <Space wrap>
            <Select
              aria-label="号类"
              value={categoryCode}
              onChange={setCategoryCode}
              style={{ width: 160 }}
              options={categories.map((c) => ({ value: c.code, label: `${c.name}（${c.code}）` }))}
            />
            <Input
              aria-label="证件号码"
              placeholder="身份证或社会保障号码（可选）"
              value={idNumber}
              onChange={(e) => setIdNumber(e.target.value)}
              style={{ width: 240 }}
            />
            <Button onClick={() => void issue()}>打印号票</Button>
            <Button onClick={() => void act('queue.walkIn', { categoryCode, ...(idNumber && { idNumber }) })}>无号直接办理</Button>
          </Space>
          {issued && (
            <div style={{ marginTop: 12, maxWidth: 360 }}>
              <DocumentPreview title={issued.title} blocks={issued.blocks as unknown as PrintBlock[]} />
            </div>
          )}
        </Card>
      </Space>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Card size="small" title={`等候本窗口（${view?.waiting.length ?? 0}）`}>
          <List
            aria-label="等候号码"
            locale={{ emptyText: '暂无等候' }}
            dataSource={view?.waiting ?? []}
            renderItem={(t) => (
              <List.Item
                data-testid="waiting-ticket"
                actions={[
                  <Button
                    key="call"
                    size="small"
                    disabled={view?.current !== null || view?.paused}
                    onClick={() => void act('queue.call', { ticketId: t.id })}
                  >
                    呼叫
                  </Button>,
                ]}
              >
                <Space>
                  <b>{t.ticketNo}</b>
                  {t.categoryName}
                  {t.kind === 'green' && <Tag color="green">绿色通道</Tag>}
                  {t.directedWindow && <Tag>指定{t.directedWindow}号窗口</Tag>}
                  {t.directedOperatorName && <Tag>指定{t.directedOperatorName}</Tag>}
                  <span style={{ color: '#888' }}>排队自 {placeTime(t.placeAt)}</span>
                </Space>
              </List.Item>
            )}
          />
        </Card>
        <Card size="small" title="过号">
          <List
            aria-label="过号号码"
            locale={{ emptyText: '无' }}
            dataSource={view?.noShows ?? []}
            renderItem={(t) => (
              <List.Item
                actions={[
                  <Button key="keep" size="small" onClick={() => void act('queue.reactivate', { ticketId: t.id, keepPlace: true })}>
                    按原位置恢复
                  </Button>,
                  <Button key="last" size="small" onClick={() => void act('queue.reactivate', { ticketId: t.id, keepPlace: false })}>
                    排到队尾
                  </Button>,
                ]}
              >
                <b>{t.ticketNo}</b> {t.categoryName}
              </List.Item>
            )}
          />
        </Card>
      </Space>
    </div>
  );
}
