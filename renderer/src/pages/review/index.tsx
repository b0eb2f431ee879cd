import { Alert, Button, Card, Empty, Input, List, Space, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { CaseSummary, CaseView } from '#shared/api/cases';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { CaseDetail } from '../../components/CaseDetail';
import { StatusAlert, type StatusMessage } from '../../components/StatusAlert';
import { useSession } from '../../stores/session';

type Decision = 'pass_review' | 'approve' | 'reject' | 'return_for_materials';

const DECISION_LABELS: Record<Decision, string> = {
  pass_review: '复核通过',
  approve: '审批通过',
  reject: '不予办理',
  return_for_materials: '退回补正',
};

/** The back office: the reviewer's or approver's queue, the case beside it, and the decision. */
export function ReviewPage() {
  const role = useSession((s) => s.session!.operator.role);
  const kind = role === 'approver' ? 'approval' : 'review';
  const [queue, setQueue] = useState<(CaseSummary & { actionable: boolean })[]>([]);
  const [current, setCurrent] = useState<CaseView | null>(null);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<StatusMessage | null>(null);

  const reload = useCallback(() => {
    void client()
      .call('case.queue', { kind })
      .then(setQueue, (err: unknown) => setMessage({ type: 'error', text: errorMessage(err) }));
  }, [kind]);
  useEffect(reload, [reload]);

  async function open(id: string) {
    setMessage(null);
    setReason('');
    setCurrent(await client().call('case.get', { id }));
  }

  async function decide(action: Decision) {
    if (!current) return;
    try {
      const next = await client().call('case.act', { id: current.id, action, ...(reason ? { reason } : {}) });
      setMessage({ type: 'success', text: `${next.caseNo}：${DECISION_LABELS[action]}` });
      setCurrent(null);
      reload();
    } catch (err) {
      setMessage({ type: 'error', text: errorMessage(err) });
    }
  }

  const decisions = (current?.availableActions ?? []).filter((a): a is Decision => a in DECISION_LABELS);

  return (
    <div style={{ display: 'grid', gridTemplateColumns: '360px 1fr', gap: 16 }}>
      <Card title={kind === 'approval' ? '待审批' : '待复核'} size="small">
        <List
          aria-label="待办案件"
          locale={{ emptyText: '没有待办案件' }}
          dataSource={queue}
          renderItem={(c) => (
            <List.Item
              onClick={() => void open(c.id)}
              style={{ cursor: 'pointer', background: current?.id === c.id ? '#eef4ff' : undefined }}
            >
              <List.Item.Meta
                title={
                  <span>
                    {c.caseNo} {!c.actionable && <Tag>受审分离：不可办</Tag>}
                  </span>
                }
                description={`${c.subItemName} · ${c.person?.name ?? c.employerName ?? ''} · 承诺 ${c.promisedDate ?? '—'}`}
              />
            </List.Item>
          )}
        />
      </Card>
      <Card size="small" title="案件">
        <StatusAlert message={message} />
        {current ? (
          <>
            <CaseDetail view={current} />
            {decisions.length > 0 ? (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Input.TextArea
                  aria-label="审核意见"
                  placeholder="审核意见（不予办理、退回补正时必填）"
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  rows={2}
                />
                <Space>
                  {decisions.map((a) => (
                    <Button
                      key={a}
                      type={a === 'pass_review' || a === 'approve' ? 'primary' : 'default'}
                      danger={a === 'reject'}
                      onClick={() => void decide(a)}
                    >
                      {DECISION_LABELS[a]}
                    </Button>
                  ))}
                </Space>
              </Space>
            ) : (
              <Alert type="info" title="您不能对该案件作出决定（受审分离或状态不符）" />
            )}
          </>
        ) : (
          <Empty description="从左侧选择案件" />
        )}
      </Card>
    </div>
  );
}
