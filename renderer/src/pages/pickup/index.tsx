import { Alert, Button, Card, Empty, Input, List, Space } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { CaseSummary, CaseView } from '#shared/api/cases';
import type { PrintBlock } from '#shared/documents/print-document';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { CaseDetail } from '../../components/CaseDetail';
import { DocumentPreview } from '../../components/DocumentPreview';
import { useCounter } from '../../stores/counter';

/** 统一窗口出件: any window hands out any case of the station that waits for pickup. */
export function PickupPage() {
  const { documents, showDocuments } = useCounter();
  const [queue, setQueue] = useState<(CaseSummary & { actionable: boolean })[]>([]);
  const [current, setCurrent] = useState<CaseView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    void client()
      .call('case.queue', { kind: 'pickup' })
      .then(setQueue, (err: unknown) => setError(errorMessage(err)));
  }, []);
  useEffect(reload, [reload]);

  async function find(caseNo: string) {
    setError(null);
    try {
      setCurrent(await client().call('case.byNumber', { caseNo }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function deliver() {
    if (!current) return;
    try {
      const r = await client().call('case.deliver', { id: current.id });
      setCurrent(r.case);
      showDocuments(r.documents);
      reload();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <div style={{ display: 'grid', gridTemplateColumns: '340px 1fr 400px', gap: 16 }}>
      <Card title="待领取" size="small">
        <Input.Search
          aria-label="受理编号"
          placeholder="扫描或输入受理编号"
          onSearch={(v) => void find(v)}
          enterButton="查找"
          style={{ marginBottom: 8 }}
        />
        <List
          aria-label="待领取案件"
          locale={{ emptyText: '没有待领取的案件' }}
          dataSource={queue}
          renderItem={(c) => (
            <List.Item onClick={() => void find(c.caseNo)} style={{ cursor: 'pointer' }}>
              <List.Item.Meta title={c.caseNo} description={`${c.subItemName} · ${c.person?.name ?? c.employerName ?? ''}`} />
            </List.Item>
          )}
        />
      </Card>
      <Card title="案件" size="small">
        {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
        {current ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            <CaseDetail view={current} />
            {current.availableActions.includes('deliver') && (
              <Button type="primary" onClick={() => void deliver()}>
                出件并打印办结凭证
              </Button>
            )}
          </Space>
        ) : (
          <Empty description="选择或扫描受理编号" />
        )}
      </Card>
      <Card title="单据预览" size="small" data-testid="documents">
        {documents.length ? (
          documents.map((d) => <DocumentPreview key={d.id} title={d.title} blocks={d.blocks as unknown as PrintBlock[]} />)
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
        )}
      </Card>
    </div>
  );
}
