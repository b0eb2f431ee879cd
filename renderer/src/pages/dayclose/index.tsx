import { Alert, Button, Card, Input, Modal, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { ResultOf } from '#shared/api/contract';
import { RECONCILIATION_LABELS, type BusinessDay, type DayTotals } from '#shared/api/dayclose';
import type { DocumentView } from '#shared/api/cases';
import { CASE_STATUS_LABELS, type CaseStatus } from '#shared/domain/cases/state-machine';
import { formatYuan } from '#shared/domain/money/fen';
import type { PrintBlock } from '#shared/documents/print-document';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { DocumentPreview } from '../../components/DocumentPreview';

type Overview = ResultOf<'day.overview'>;

const yuan = (fen: number) => formatYuan(fen);
const STATE_TAGS: Record<BusinessDay['state'], { color: string; text: string }> = {
  frozen: { color: 'orange', text: '已冻结，待核对' },
  closed: { color: 'green', text: '已日结' },
  carried_over: { color: 'blue', text: '已结转' },
};

function DayResult({ day }: { day: BusinessDay }) {
  const type =
    day.reconciliation === 'matched' || day.reconciliation === 'local'
      ? 'success'
      : day.reconciliation === 'mismatched'
        ? 'error'
        : 'warning';
  return (
    <Alert
      type={type}
      showIcon
      role={type === 'error' ? 'alert' : 'status'}
      data-testid="day-result"
      title={day.message ?? (day.reconciliation ? RECONCILIATION_LABELS[day.reconciliation] : STATE_TAGS[day.state].text)}
      description={
        day.differences.length > 0 && (
          <Table
            size="small"
            pagination={false}
            rowKey={(d) => `${d.operatorName}-${d.subItemCode}`}
            dataSource={day.differences}
            columns={[
              { title: '经办人', dataIndex: 'operatorName' },
              { title: '事项', dataIndex: 'subItemCode' },
              { title: '本站件数/金额', render: (_: unknown, d) => `${d.station.count} 件 / ${yuan(d.station.amountFen)}` },
              { title: '中心件数/金额', render: (_: unknown, d) => `${d.server.count} 件 / ${yuan(d.server.amountFen)}` },
            ]}
          />
        )
      }
    />
  );
}

function Totals({ totals }: { totals: DayTotals }) {
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space size="large" wrap>
        <Statistic title="受理件数" value={totals.cases.total.count} />
        <Statistic title="金额合计" value={yuan(totals.cases.total.amountFen)} />
        <Statistic title="取号" value={totals.tickets.issued} />
        <Statistic title="办结" value={totals.tickets.served} />
        <Statistic title="过号" value={totals.tickets.noShows} />
        <Statistic
          title="平均等候（分钟）"
          value={totals.tickets.waitAvgMs === null ? '—' : (totals.tickets.waitAvgMs / 60_000).toFixed(1)}
        />
        <Statistic title="评价 / 满意度" value={`${totals.tickets.ratings} / ${totals.tickets.ratingAvg ?? '—'}`} />
      </Space>
      <Table
        aria-label="按事项"
        size="small"
        pagination={false}
        rowKey={(r) => `${r.subItemCode}-${r.status}`}
        dataSource={totals.cases.byItem}
        locale={{ emptyText: '当日没有受理案件' }}
        columns={[
          { title: '事项', render: (_: unknown, r) => `${r.subItemCode} ${r.subItemName}` },
          { title: '状态', dataIndex: 'status', render: (s: CaseStatus) => CASE_STATUS_LABELS[s] ?? s },
          { title: '件数', dataIndex: 'count' },
          { title: '金额', dataIndex: 'amountFen', render: yuan },
        ]}
      />
      <Table
        aria-label="按经办人"
        size="small"
        pagination={false}
        rowKey={(r) => `${r.operatorId}-${r.subItemCode}`}
        dataSource={totals.cases.byOperator}
        columns={[
          { title: '经办人', dataIndex: 'operatorName' },
          { title: '事项', dataIndex: 'subItemCode' },
          { title: '件数', dataIndex: 'count' },
          { title: '金额', dataIndex: 'amountFen', render: yuan },
        ]}
      />
      {totals.cases.byInsurance.length > 0 && (
        <Typography.Text>按险种：{totals.cases.byInsurance.map((r) => `${r.insurance} ${yuan(r.amountFen)}`).join('；')}</Typography.Text>
      )}
    </Space>
  );
}

/** 日结 (supervisor): the day's totals, closing it against the central office, and carrying over a day left open. */
export function DayClosePage() {
  const [overview, setOverview] = useState<Overview | null>(null);
  const [date, setDate] = useState<string | null>(null);
  const [totals, setTotals] = useState<DayTotals | null>(null);
  const [result, setResult] = useState<{ day: BusinessDay; document: DocumentView | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');

  const load = useCallback(() => {
    client()
      .call('day.overview', {})
      .then(
        (o) => {
          setOverview(o);
          // An earlier day left open comes first: it blocks today's business.
          setDate((d) => d ?? o.unclosed ?? o.today);
        },
        (err: unknown) => setError(errorMessage(err)),
      );
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    if (!date) return;
    client()
      .call('day.totals', { businessDate: date })
      .then(setTotals, (err: unknown) => setError(errorMessage(err)));
  }, [date, result]);

  async function close() {
    if (!date) return;
    setConfirming(false);
    setBusy(true);
    setError(null);
    try {
      setResult(await client().call('day.close', { businessDate: date }));
      load();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function carryOver() {
    if (!overview?.unclosed) return;
    setError(null);
    try {
      setResult({ day: await client().call('day.carryOver', { businessDate: overview.unclosed, reason }), document: null });
      setReason('');
      setDate(overview.today);
      load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  if (!overview || !date) return null;
  const shown = overview.recent.find((d) => d.businessDate === date) ?? null;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
      {overview.unclosed && (
        <Alert
          type="warning"
          showIcon
          title={`上一营业日（${overview.unclosed}）尚未日结，今日业务已暂停`}
          description={
            <Space wrap>
              请先对该日日结；确实无法日结时，可写明原因后结转：
              <Input
                aria-label="结转原因"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                style={{ width: 280 }}
                placeholder="结转原因（记入审计日志）"
              />
              <Button onClick={() => void carryOver()} disabled={reason.trim().length < 4}>
                结转
              </Button>
            </Space>
          }
        />
      )}
      <Card
        size="small"
        title={
          <Space>
            营业日
            <Input
              aria-label="营业日"
              type="date"
              value={date}
              max={overview.today}
              onChange={(e) => e.target.value && setDate(e.target.value)}
            />
            {shown && <Tag color={STATE_TAGS[shown.state].color}>{STATE_TAGS[shown.state].text}</Tag>}
          </Space>
        }
        extra={
          <Button type="primary" danger loading={busy} disabled={shown?.state === 'closed'} onClick={() => setConfirming(true)}>
            日结
          </Button>
        }
      >
        {result && result.day.businessDate === date ? <DayResult day={result.day} /> : shown && <DayResult day={shown} />}
        <div style={{ marginTop: 12 }}>{totals && <Totals totals={totals} />}</div>
      </Card>
      {result?.document && (
        <Card size="small" title="日结单（已送打印）" style={{ maxWidth: 420 }}>
          <DocumentPreview title={result.document.title} blocks={result.document.blocks as unknown as PrintBlock[]} />
        </Card>
      )}
      <Card size="small" title="最近日结">
        <Table
          size="small"
          pagination={false}
          rowKey="businessDate"
          dataSource={overview.recent}
          locale={{ emptyText: '尚无日结记录' }}
          columns={[
            { title: '营业日', dataIndex: 'businessDate' },
            {
              title: '状态',
              dataIndex: 'state',
              render: (s: BusinessDay['state']) => <Tag color={STATE_TAGS[s].color}>{STATE_TAGS[s].text}</Tag>,
            },
            {
              title: '核对',
              dataIndex: 'reconciliation',
              render: (r: BusinessDay['reconciliation']) => (r ? RECONCILIATION_LABELS[r] : '—'),
            },
            { title: '日结人', dataIndex: 'closedBy' },
            { title: '原因', dataIndex: 'reason' },
          ]}
        />
      </Card>
      <Modal
        open={confirming}
        title={`确认对 ${date} 日结？`}
        okText="日结"
        okButtonProps={{ danger: true }}
        onOk={() => void close()}
        onCancel={() => setConfirming(false)}
      >
        日结后该营业日不能再办理任何业务。系统将打印日结单，上传全部数据并与中心核对；核对不一致时该日保持冻结，并列出差异。
      </Modal>
    </Space>
  );
}
