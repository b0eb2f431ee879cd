import { Card, Empty, Space, Tabs } from 'antd';
import { useState } from 'react';
import type { PrintBlock } from '#shared/documents/print-document';
import { DocumentPreview } from '../../components/DocumentPreview';
import { useCounter } from '../../stores/counter';
import { AcceptPanel } from './components/AcceptPanel';
import { PersonPanel } from './components/PersonPanel';
import { StatusStrip } from './components/StatusStrip';

/** The counter workbench: person on the left, the business in the middle, what the citizen takes home on the right. */
export function WorkbenchPage() {
  const documents = useCounter((s) => s.documents);
  const [version, setVersion] = useState(0);
  return (
    <>
      <h2 style={{ margin: '0 0 8px' }}>柜员工作台</h2>
      <StatusStrip refreshKey={version} />
      <div className="counter">
        <PersonPanel historyKey={version} />
        <AcceptPanel onDone={() => setVersion((v) => v + 1)} />
        <Card title="单据预览" size="small" data-testid="documents">
          {documents.length === 0 ? (
            <Empty description="受理后在此预览回执和告知单" image={Empty.PRESENTED_IMAGE_SIMPLE} />
          ) : (
            <Tabs
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
      </div>
    </>
  );
}
