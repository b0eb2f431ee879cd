import {
  Alert,
  Button,
  Card,
  DatePicker,
  Drawer,
  Empty,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { retentionLabel, VOLUME_STATES, VOLUME_STATE_LABELS, type VolumeView } from '#shared/api/archive';
import type { CaseView } from '#shared/api/cases';
import type { ParamsOf } from '#shared/api/contract';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { CaseDetail } from '../../components/CaseDetail';
import { StatusAlert, type StatusMessage } from '../../components/StatusAlert';
import { useSession } from '../../stores/session';

interface Criteria {
  person?: string;
  employer?: string;
  caseNo?: string;
  itemCode?: string;
  dateOf: 'business' | 'filed';
  range?: [Dayjs, Dayjs] | null;
  state?: (typeof VOLUME_STATES)[number];
}

const time = (iso: string) => new Date(iso).toLocaleString('zh-CN');
const blank = (text: string | undefined) => (text?.trim() ? text.trim() : undefined);

/** The form as the API takes it: empty fields left out, the period as business dates. */
function query(c: Criteria): ParamsOf<'archive.search'> {
  return {
    person: blank(c.person),
    employer: blank(c.employer),
    caseNo: blank(c.caseNo),
    itemCode: c.itemCode,
    dateOf: c.dateOf,
    from: c.range?.[0].format('YYYY-MM-DD'),
    to: c.range?.[1].format('YYYY-MM-DD'),
    state: c.state,
  };
}

const retention = (v: VolumeView) => (
  <Space size={4}>
    <span>{retentionLabel(v.retentionYears)}</span>
    {v.retentionUntil !== null && <Typography.Text type="secondary">至{v.retentionUntil}年</Typography.Text>}
    {v.expired && <Tag color="red">已到期</Tag>}
  </Space>
);

/** Item filter: a whole item or one of its sub-items, from the catalogue in force. */
function useItemOptions() {
  const [options, setOptions] = useState<{ label: string; options: { value: string; label: string }[] }[]>([]);
  useEffect(() => {
    client()
      .call('catalogue.list', {})
      .then(
        (entries) => {
          const items = new Map<string, { label: string; options: { value: string; label: string }[] }>();
          for (const e of [...entries].sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true }))) {
            const group = items.get(e.itemCode) ?? {
              label: `${e.itemCode} ${e.itemName}`,
              options: [{ value: e.itemCode, label: `${e.itemCode} ${e.itemName}（全部）` }],
            };
            group.options.push({ value: e.code, label: `${e.code} ${e.name}` });
            items.set(e.itemCode, group);
          }
          setOptions([...items.values()].sort((a, b) => a.label.localeCompare(b.label)));
        },
        // Without the catalogue the other criteria still work.
        () => setOptions([]),
      );
  }, []);
  return options;
}

/** The case of a volume with its catalogue (卷内目录, in CaseDetail's 档案 section), and printing the catalogue again. */
function VolumeDrawer({ volume, onClose }: { volume: VolumeView | null; onClose: () => void }) {
  const role = useSession((s) => s.session!.operator.role);
  const [view, setView] = useState<CaseView | null>(null);
  const [message, setMessage] = useState<StatusMessage | null>(null);

  useEffect(() => {
    setView(null);
    setMessage(null);
    if (!volume) return;
    client()
      .call('case.get', { id: volume.caseId })
      .then(setView, (err: unknown) => setMessage({ type: 'error', text: errorMessage(err) }));
  }, [volume]);

  async function print() {
    setMessage(null);
    try {
      await client().call('document.reprint', { documentId: volume!.documentId });
      setMessage({ type: 'success', text: '卷内目录已送打印' });
    } catch (err) {
      setMessage({ type: 'error', text: errorMessage(err) });
    }
  }

  return (
    <Drawer
      open={volume !== null}
      onClose={onClose}
      size={760}
      title={volume ? `档案 ${volume.caseNo}` : ''}
      destroyOnHidden
      extra={
        (role === 'teller' || role === 'admin') && (
          <Button onClick={() => void print()} disabled={!volume}>
            打印卷内目录
          </Button>
        )
      }
    >
      <StatusAlert message={message} />
      {view ? <CaseDetail view={view} /> : !message && <Typography.Text type="secondary">正在读取案件…</Typography.Text>}
    </Drawer>
  );
}

/**
 * 档案查询: filed volumes by person, employer, case number, item, period (business or filing date) and state, including
 * those whose retention is over (已到期, due for appraisal). A row opens its case and catalogue.
 */
export function ArchiveSearchPage() {
  const [form] = Form.useForm<Criteria>();
  const itemOptions = useItemOptions();
  const [results, setResults] = useState<VolumeView[] | null>(null);
  const [last, setLast] = useState<ParamsOf<'archive.search'> | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<VolumeView | null>(null);

  const run = useCallback(async (params: ParamsOf<'archive.search'>) => {
    setLoading(true);
    setError(null);
    try {
      setResults(await client().call('archive.search', params));
      setLast(params);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  }, []);

  const columns: TableColumnsType<VolumeView> = [
    {
      title: '档号',
      dataIndex: 'caseNo',
      render: (caseNo: string, v) => (
        <Button type="link" style={{ padding: 0 }} onClick={() => setOpen(v)}>
          {caseNo}
        </Button>
      ),
    },
    { title: '事项', dataIndex: 'subItemName' },
    { title: '申请人', dataIndex: 'applicant', render: (a: string | null) => a ?? '—' },
    { title: '归档时间', dataIndex: 'filedAt', render: time },
    {
      title: '封存',
      key: 'sealed',
      render: (_: unknown, v) =>
        v.sealedAt ? (
          <span title={v.sealedByName ?? undefined}>
            <Tag color="purple">已封存</Tag>
            {time(v.sealedAt)}
          </span>
        ) : (
          <Tag color="green">未封存</Tag>
        ),
    },
    { title: '页数', dataIndex: 'pages', align: 'right' },
    {
      title: '补充',
      dataIndex: 'supplements',
      align: 'right',
      render: (n: number) => (n > 0 ? <Tag color="orange">{n}页</Tag> : '—'),
    },
    { title: '保管期限/到期', key: 'retention', render: (_: unknown, v) => retention(v) },
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>
        档案查询
      </Typography.Title>
      <Card size="small">
        <Form<Criteria>
          form={form}
          layout="inline"
          aria-label="查询条件"
          initialValues={{ dateOf: 'business' }}
          onFinish={(c) => void run(query(c))}
          style={{ rowGap: 12 }}
        >
          <Form.Item name="person" label="申请人">
            <Input aria-label="申请人" placeholder="姓名或证件号码" allowClear maxLength={40} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="employer" label="单位">
            <Input aria-label="单位" placeholder="单位名称或统一社会信用代码" allowClear maxLength={100} style={{ width: 240 }} />
          </Form.Item>
          <Form.Item name="caseNo" label="档号">
            <Input aria-label="档号" placeholder="受理编号" allowClear maxLength={40} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="itemCode" label="事项">
            <Select
              aria-label="事项"
              placeholder="全部事项"
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              style={{ width: 260 }}
              options={itemOptions}
            />
          </Form.Item>
          <Form.Item label="期间">
            <Space.Compact>
              <Form.Item name="dateOf" noStyle>
                <Select
                  aria-label="期间依据"
                  style={{ width: 110 }}
                  options={[
                    { value: 'business', label: '业务日期' },
                    { value: 'filed', label: '归档日期' },
                  ]}
                />
              </Form.Item>
              <Form.Item name="range" noStyle>
                <DatePicker.RangePicker aria-label="期间" />
              </Form.Item>
            </Space.Compact>
          </Form.Item>
          <Form.Item name="state" label="状态">
            <Select
              aria-label="状态"
              placeholder="全部"
              allowClear
              style={{ width: 120 }}
              options={VOLUME_STATES.map((s) => ({ value: s, label: VOLUME_STATE_LABELS[s] }))}
            />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" loading={loading}>
                查询
              </Button>
              <Button onClick={() => (form.resetFields(), setResults(null), setLast(null), setError(null))}>重置</Button>
            </Space>
          </Form.Item>
        </Form>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          按回车查询。姓名、单位名称可输入其中一部分，证件号码和统一社会信用代码须完整；“已到期”列出保管期限已满、待鉴定的档案（不会自动销毁）。
        </Typography.Paragraph>
      </Card>
      {error && <Alert type="error" showIcon title={`查询失败：${error}`} role="alert" />}
      <Card
        size="small"
        title={results ? `查询结果（${results.length}卷${results.length === 500 ? '，仅显示最近500卷，请缩小范围' : ''}）` : '查询结果'}
      >
        {results === null ? (
          <Empty description="输入条件后按回车或点“查询”；不填条件查询全部档案" />
        ) : (
          <Table<VolumeView>
            aria-label="档案查询结果"
            data-testid="archive-results"
            rowKey="caseId"
            size="small"
            columns={columns}
            dataSource={results}
            pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
            locale={{ emptyText: '没有符合条件的档案' }}
            onRow={(v) => ({ onClick: () => setOpen(v), style: { cursor: 'pointer' } })}
          />
        )}
      </Card>
      <VolumeDrawer
        volume={open}
        onClose={() => {
          setOpen(null);
          // Sealing or refiling from the drawer changes the row: show it as it is now.
          if (last) void run(last);
        }}
      />
    </Space>
  );
}
