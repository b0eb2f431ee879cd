import { Card, Empty, Space, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { PrintBlock } from '#shared/documents/print-document';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { DocumentPreview } from '../../components/DocumentPreview';
import { useCounter } from '../../stores/counter';
import { useDevices } from '../../stores/devices';
import { QueuePanel } from '../hall/components/QueuePanel';
import { useWindowQueue } from '../hall/window-store';
import { useHotkeys } from '../../hooks/useHotkeys';
import { AcceptPanel } from './components/AcceptPanel';
import { CardDemoPanel } from './components/CardDemoPanel';
import { PersonPanel } from './components/PersonPanel';
import { PrintQueuePanel } from './components/PrintQueuePanel';
import { StatusStrip } from './components/StatusStrip';

const column = { display: 'flex', flexDirection: 'column', gap: 16 } as const;

/** The counter workbench: person on the left, the business in the middle, what the citizen takes home on the right. */
export function WorkbenchPage() {
  const documents = useCounter((s) => s.documents);
  const [shown, setShown] = useState<string | undefined>();
  const [reprinted, setReprinted] = useState<string | null>(null);
  const active = documents.some((d) => d.id === shown) ? shown : documents[0]?.id;
  // F4 prints the document on screen again, as a 补打 job (the first print was queued with the command itself).
  async function reprint() {
    const id = active;
    if (!id) return;
    try {
      const job = await client().call('document.reprint', { documentId: id });
      setReprinted(`已补打：${job.title}`);
    } catch (err) {
      setReprinted(errorMessage(err));
    }
  }
  const [version, setVersion] = useState(0);
  // Printer, queue and card readers speak through core events while the workbench is open.
  useEffect(() => useDevices.getState().connect(), []);
  // F8 calls the next ticket to this window, whatever has focus.
  useHotkeys({ F4: () => void reprint(), F8: () => void useWindowQueue.getState().act('queue.callNext', {}) });
  return (
    <>
      <h2 style={{ margin: '0 0 8px' }}>柜员工作台</h2>
      <StatusStrip refreshKey={version} />
      <div className="counter">
        <div style={column}>
          <QueuePanel />
          <PersonPanel historyKey={version} />
          <CardDemoPanel />
        </div>
        <AcceptPanel onDone={() => setVersion((v) => v + 1)} />
        <div style={column}>
          <Card title="单据预览" size="small" data-testid="documents" extra={<span className="fkey">F4 补打</span>}>
            {reprinted && <Typography.Text type="secondary">{reprinted}</Typography.Text>}
            {documents.length === 0 ? (
              <Empty description="受理后在此预览回执和告知单" image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <Tabs
                activeKey={active}
                onChange={setShown}
                items={documents.map((d) => ({
                  key: d.id,
                  label: d.title.split(' ')[0],
                  children: (
                    <Space direction="vertical" style={{ width: '100%' }}>
                      <DocumentPreview title={d.title} blocks={d.blocks as unknown as PrintBlock[]} />
                    </Space>
                  ),
                }))}
              />
            )}
          </Card>
          <PrintQueuePanel />
        </div>
      </div>
    </>
  );
}
