import { Alert, Button, Card, Checkbox, Input, Select, Space, Spin, Table, Tag } from 'antd';
import { Suspense, lazy, useCallback, useEffect, useState } from 'react';
import type { FollowUp, StatsRowView } from '#shared/api/queue';
import {
  RATING_DIMENSIONS,
  RATING_DIMENSION_LABELS,
  RATING_LABELS,
  RATING_LEVELS,
  isBadRating,
  type RatingDimension,
  type RatingLevel,
} from '#shared/domain/queue/rating';
import type { StatsDimension } from '#shared/domain/queue/stats';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';

const BY_LABELS: Readonly<Record<StatsDimension, string>> = { window: '按窗口', operator: '按柜员', category: '按号类', hour: '按时段' };
const minutes = (ms: number | null) => (ms === null ? '—' : `${(ms / 60_000).toFixed(1)} 分`);
const percent = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
// ECharts is a large library only this page needs: it loads with the page instead of with the app.
const StatsCharts = lazy(() => import('./StatsCharts').then((m) => ({ default: m.StatsCharts })));
const todayText = () => new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });

/** 评价统计: hall figures from the queue log, bad reviews' follow-ups, and paper rating forms. */
export function StatsPage() {
  const [from, setFrom] = useState(todayText);
  const [to, setTo] = useState(todayText);
  const [by, setBy] = useState<StatsDimension>('window');
  const [report, setReport] = useState<{
    rows: StatsRowView[];
    total: StatsRowView;
    waitTargetMinutes: number;
    /** The grouping these rows are by, so the chart is titled after the rows it draws. */
    by: StatsDimension;
  } | null>(null);
  const [hourly, setHourly] = useState<StatsRowView[]>([]);
  const [followUps, setFollowUps] = useState<FollowUp[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [paper, setPaper] = useState<{ ticketNo: string; level: RatingLevel; dimensions: RatingDimension[] }>({
    ticketNo: '',
    level: 'satisfied',
    dimensions: [],
  });
  const [notes, setNotes] = useState<Record<string, string>>({});

  const load = useCallback(() => {
    setError(null);
    Promise.all([
      client().call('queue.stats', { from, to, by }),
      // The hourly chart shows the same range by hour whatever the table is grouped by.
      client().call('queue.stats', { from, to, by: 'hour' }),
      client().call('rating.followUps', { status: 'open' }),
    ]).then(
      ([r, h, f]) => {
        setReport({ ...r, by });
        setHourly(h.rows);
        setFollowUps(f);
      },
      (err: unknown) => setError(errorMessage(err)),
    );
  }, [from, to, by]);
  useEffect(load, [load]);

  async function enterPaper() {
    try {
      await client().call('rating.paper', { ticketNo: paper.ticketNo, businessDate: to, level: paper.level, dimensions: paper.dimensions });
      setPaper({ ticketNo: '', level: 'satisfied', dimensions: [] });
      load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function close(id: string) {
    try {
      await client().call('rating.closeFollowUp', { id, note: notes[id] ?? '' });
      load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const rows = report ? [...report.rows, report.total] : [];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
      <Card
        size="small"
        title="大厅统计"
        extra={
          <Space>
            <Input aria-label="开始日期" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
            <Input aria-label="结束日期" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
            <Select
              aria-label="统计维度"
              value={by}
              onChange={setBy}
              style={{ width: 110 }}
              options={Object.entries(BY_LABELS).map(([value, label]) => ({ value, label }))}
            />
          </Space>
        }
      >
        <Table
          aria-label="统计表"
          rowKey="label"
          size="small"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: BY_LABELS[by].slice(1), dataIndex: 'label' },
            { title: '叫号', dataIndex: 'called' },
            { title: '办结', dataIndex: 'served' },
            { title: '过号率', dataIndex: 'noShowRate', render: percent },
            { title: '平均等候', dataIndex: 'waitAvgMs', render: minutes },
            { title: '最长等候', dataIndex: 'waitMaxMs', render: minutes },
            { title: `超${report?.waitTargetMinutes ?? ''}分钟占比`, dataIndex: 'overTargetShare', render: percent },
            { title: '到窗时间', dataIndex: 'walkUpAvgMs', render: minutes },
            { title: '平均办理', dataIndex: 'serviceAvgMs', render: minutes },
            { title: '平均暂挂', dataIndex: 'holdAvgMs', render: minutes },
            { title: '评价数', dataIndex: 'ratings' },
            { title: '满意度(5分)', dataIndex: 'ratingAvg', render: (v: number | null) => v ?? '—' },
            { title: '差评', dataIndex: 'badRatings' },
          ]}
        />
      </Card>
      {report && (
        <Suspense fallback={<Spin />}>
          <StatsCharts rows={report.rows} total={report.total} hourly={hourly} rowKind={BY_LABELS[report.by].slice(1)} />
        </Suspense>
      )}
      <Card size="small" title={`差评整改回访（${followUps.length}）`}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={followUps}
          locale={{ emptyText: '没有待回访的差评' }}
          columns={[
            { title: '号码', render: (_: unknown, f: FollowUp) => `${f.businessDate} ${f.ticketNo}` },
            { title: '评价', dataIndex: 'level', render: (l: RatingLevel) => <Tag color="red">{RATING_LABELS[l]}</Tag> },
            { title: '来源', dataIndex: 'source', render: (s: string) => (s === 'paper' ? '纸质评价' : '评价器') },
            { title: '窗口', dataIndex: 'windowNo' },
            { title: '经办人', dataIndex: 'operatorName' },
            { title: '回访期限', dataIndex: 'dueDate' },
            {
              title: '回访情况',
              render: (_: unknown, f: FollowUp) => (
                <Space>
                  <Input aria-label="回访情况" value={notes[f.id] ?? ''} onChange={(e) => setNotes({ ...notes, [f.id]: e.target.value })} />
                  <Button size="small" onClick={() => void close(f.id)}>
                    办结
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title="录入纸质评价（按结束日期）">
        <Space wrap>
          <Input
            aria-label="评价号码"
            placeholder="号码，如 A012"
            value={paper.ticketNo}
            onChange={(e) => setPaper({ ...paper, ticketNo: e.target.value })}
            style={{ width: 140 }}
          />
          <Select
            aria-label="评价等级"
            value={paper.level}
            onChange={(level) => setPaper({ ...paper, level })}
            style={{ width: 140 }}
            options={RATING_LEVELS.map((l) => ({ value: l, label: RATING_LABELS[l] }))}
          />
          <Checkbox.Group
            value={paper.dimensions}
            onChange={(v) => setPaper({ ...paper, dimensions: v as RatingDimension[] })}
            options={RATING_DIMENSIONS.map((d) => ({ value: d, label: RATING_DIMENSION_LABELS[d] }))}
          />
          <Button onClick={() => void enterPaper()}>{isBadRating(paper.level) ? '录入并登记回访' : '录入'}</Button>
        </Space>
      </Card>
    </Space>
  );
}
