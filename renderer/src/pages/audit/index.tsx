import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import {
  AUDIT_ACTION_LABELS,
  AUDIT_CLASSES,
  AUDIT_CLASS_LABELS,
  CHAIN_PROBLEM_LABELS,
  SCREENING_RULE_LABELS,
  SEVERITY_LABELS,
  type AuditClass,
  type AuditEntry,
  type ChainVerification,
  type Finding,
  type Severity,
} from '#shared/api/audit';
import { STATION_TIME_ZONE } from '#shared/api/station';
import type { Operator } from '#shared/api/contract';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';

const PAGE_SIZE = 100;
const CLASS_COLORS: Record<AuditClass, string> = { key: 'red', general: 'blue', in_process: 'default' };
const SEVERITY_COLORS: Record<Severity, string> = { high: 'red', medium: 'orange', low: 'default' };

type DateRange = [Dayjs, Dayjs] | null;
const day = (d: Dayjs) => d.format('YYYY-MM-DD');

// sv-SE writes 2026-03-02 09:00:00; the zone is the station's, whatever the PC is set to. A tampered value that
// is no instant is shown as it stands.
const stationTime = (at: string) =>
  Number.isNaN(Date.parse(at)) ? at : new Date(at).toLocaleString('sv-SE', { timeZone: STATION_TIME_ZONE });

/** Chain status: verified with the entry count, or where it breaks and why, in red. */
function ChainStatus() {
  const [result, setResult] = useState<ChainVerification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const verify = useCallback(() => {
    setError(null);
    client()
      .call('audit.verify', {})
      .then(setResult, (err: unknown) => setError(errorMessage(err)));
  }, []);
  useEffect(verify, [verify]);

  const again = (
    <Button size="small" icon={<ReloadOutlined />} onClick={verify}>
      重新校验
    </Button>
  );
  if (error) return <Alert type="error" showIcon title={error} action={again} role="alert" />;
  if (!result) return <Alert type="info" showIcon title="正在校验审计链…" />;
  if (result.ok) {
    return (
      <Alert
        type="success"
        showIcon
        data-testid="chain-status"
        title={`审计链已校验 ✓ 共${result.entries}条记录`}
        description={result.headSeq === null ? result.message : `${result.message}。链头：第${result.headSeq}条 ${result.headHash}`}
        action={again}
      />
    );
  }
  return (
    <Alert
      type="error"
      showIcon
      data-testid="chain-status"
      title={`审计链已损坏：第${result.firstBadSeq}条起不可信（${CHAIN_PROBLEM_LABELS[result.problem!]}）`}
      description={result.message}
      action={again}
      role="alert"
    />
  );
}

interface Filters {
  class?: AuditClass;
  operatorId?: string;
  range: DateRange;
}

function JsonBlock({ label, value }: { label: string; value: AuditEntry['before'] }) {
  if (value === null) return null;
  return (
    <div>
      <Typography.Text type="secondary">{label}</Typography.Text>
      <pre style={{ margin: '4px 0 8px', whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(value, null, 2)}</pre>
    </div>
  );
}

const entryColumns: TableColumnsType<AuditEntry> = [
  { title: '序号', dataIndex: 'seq', width: 80 },
  { title: '时间', dataIndex: 'at', width: 180, render: stationTime },
  { title: '类别', dataIndex: 'class', width: 100, render: (c: AuditClass) => <Tag color={CLASS_COLORS[c]}>{AUDIT_CLASS_LABELS[c]}</Tag> },
  { title: '操作', dataIndex: 'action', render: (a: string) => AUDIT_ACTION_LABELS[a] ?? a },
  {
    title: '操作员',
    key: 'operator',
    render: (_: unknown, e: AuditEntry) => e.operatorName ?? (e.operatorId === null ? '系统' : `未知操作员（${e.operatorId}）`),
  },
  { title: '窗口', dataIndex: 'windowNo', width: 80, render: (w: number | null) => (w === null ? '—' : `${w}号`) },
  {
    title: '对象',
    key: 'entity',
    render: (_: unknown, e: AuditEntry) =>
      e.entityType ? (
        <Typography.Text type="secondary" ellipsis style={{ maxWidth: 260 }}>
          {e.entityType} {e.entityId}
        </Typography.Text>
      ) : (
        '—'
      ),
  },
];

/** The log, newest first, with filters by class, operator and business dates, a page at a time. */
function EntryTable({ operators }: { operators: Operator[] }) {
  const [filters, setFilters] = useState<Filters>({ range: null });
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [nextBeforeSeq, setNextBeforeSeq] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const fetchPage = useCallback(
    (beforeSeq?: number) =>
      client().call('audit.list', {
        class: filters.class,
        operatorId: filters.operatorId,
        from: filters.range ? day(filters.range[0]) : undefined,
        to: filters.range ? day(filters.range[1]) : undefined,
        limit: PAGE_SIZE,
        beforeSeq,
      }),
    [filters],
  );

  const load = useCallback(
    (beforeSeq?: number) => {
      setLoading(true);
      setError(null);
      fetchPage(beforeSeq)
        .then(
          (page) => {
            setEntries((shown) => (beforeSeq === undefined ? page.entries : [...shown, ...page.entries]));
            setNextBeforeSeq(page.nextBeforeSeq);
          },
          (err: unknown) => setError(errorMessage(err)),
        )
        .finally(() => setLoading(false));
    },
    [fetchPage],
  );
  useEffect(() => load(), [load]);

  return (
    <Card title="操作记录" size="small">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select<AuditClass>
          aria-label="类别"
          placeholder="全部类别"
          allowClear
          style={{ width: 140 }}
          value={filters.class}
          onChange={(c) => setFilters((f) => ({ ...f, class: c }))}
          options={AUDIT_CLASSES.map((c) => ({ value: c, label: AUDIT_CLASS_LABELS[c] }))}
        />
        <Select<string>
          aria-label="操作员"
          placeholder="全部操作员"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          style={{ width: 180 }}
          value={filters.operatorId}
          onChange={(id) => setFilters((f) => ({ ...f, operatorId: id }))}
          options={operators.map((o) => ({ value: o.id, label: `${o.displayName}（${o.username}）` }))}
        />
        <DatePicker.RangePicker
          aria-label="日期范围"
          value={filters.range}
          onChange={(r) => setFilters((f) => ({ ...f, range: r as DateRange }))}
        />
      </Space>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Table<AuditEntry>
        data-testid="audit-table"
        rowKey="seq"
        size="small"
        columns={entryColumns}
        dataSource={entries}
        loading={loading}
        pagination={false}
        locale={{ emptyText: '没有符合条件的记录' }}
        expandable={{
          rowExpandable: (e) => e.before !== null || e.after !== null,
          expandedRowRender: (e) => (
            <>
              <JsonBlock label="变更前" value={e.before} />
              <JsonBlock label="变更后" value={e.after} />
            </>
          ),
        }}
      />
      {nextBeforeSeq !== null && (
        <Button block style={{ marginTop: 12 }} loading={loading} onClick={() => load(nextBeforeSeq)}>
          加载更早的记录
        </Button>
      )}
    </Card>
  );
}

const findingColumns: TableColumnsType<Finding> = [
  { title: '风险', dataIndex: 'severity', width: 70, render: (s: Severity) => <Tag color={SEVERITY_COLORS[s]}>{SEVERITY_LABELS[s]}</Tag> },
  { title: '规则', dataIndex: 'rule', width: 170, render: (r: Finding['rule']) => SCREENING_RULE_LABELS[r] },
  { title: '说明', dataIndex: 'message' },
  { title: '涉及记录', dataIndex: 'seqs', width: 200, render: (seqs: number[]) => seqs.map((s) => `#${s}`).join('、') },
];

/** The screening rules over the chosen business days. */
function FindingsPanel() {
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(6, 'day'), dayjs()]);
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const screen = useCallback(() => {
    setError(null);
    client()
      .call('audit.screen', { from: day(range[0]), to: day(range[1]) })
      .then(setFindings, (err: unknown) => setError(errorMessage(err)));
  }, [range]);
  useEffect(screen, [screen]);

  return (
    <Card
      title="异常筛查"
      size="small"
      data-testid="findings"
      extra={
        <DatePicker.RangePicker
          aria-label="筛查日期"
          allowClear={false}
          value={range}
          onChange={(r) => r?.[0] && r[1] && setRange([r[0], r[1]])}
        />
      }
    >
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Table<Finding>
        rowKey={(f) => `${f.rule}-${f.seqs.join('-')}`}
        size="small"
        columns={findingColumns}
        dataSource={findings ?? []}
        loading={findings === null && !error}
        pagination={false}
        locale={{ emptyText: '所选日期内未发现异常' }}
      />
    </Card>
  );
}

/** The administrator's audit page: is the chain intact, what happened, and what deserves a closer look. */
export function AuditPage() {
  const [operators, setOperators] = useState<Operator[]>([]);
  useEffect(() => {
    client()
      .call('accounts.list', {})
      // Without the list the operator filter is merely empty; the log itself still shows.
      .then(setOperators, () => setOperators([]));
  }, []);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        审计日志
      </Typography.Title>
      <ChainStatus />
      <FindingsPanel />
      <EntryTable operators={operators} />
    </Space>
  );
}
