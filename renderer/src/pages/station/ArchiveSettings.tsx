import { Button, Card, InputNumber, Select, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import {
  MAX_AUTO_SEAL_DAYS,
  RETENTION_CLASSES,
  retentionLabel,
  type ArchiveSettings,
  type PageCompressionSetting,
  type RetentionRow,
  type RetentionYears,
} from '#shared/api/archive';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { StatusAlert } from '../../components/StatusAlert';

// A Select value cannot be null: 0 stands for 永久 here only.
const PERMANENT = 0;
const toValue = (years: RetentionYears) => years ?? PERMANENT;
const fromValue = (value: number): RetentionYears => (value === PERMANENT ? null : value);

/** The usual classes, plus a value set elsewhere (another number of years) so it still shows. */
const optionsFor = (current: RetentionYears | undefined) =>
  [...RETENTION_CLASSES, ...(current !== undefined && !RETENTION_CLASSES.includes(current) ? [current] : [])].map((y) => ({
    value: toValue(y),
    label: retentionLabel(y),
  }));

/** One row per item with its sub-items as children; an item's value shows only while all its sub-items agree. */
interface ItemRow {
  key: string;
  code: string;
  name: string;
  years: RetentionYears | undefined;
  adjusted: boolean;
  defaultYears?: RetentionYears;
  children?: ItemRow[];
}

function tree(rows: readonly RetentionRow[]): ItemRow[] {
  const items = new Map<string, ItemRow>();
  for (const r of rows) {
    const item = items.get(r.itemCode) ?? {
      key: r.itemCode,
      code: r.itemCode,
      name: r.itemName,
      years: r.years,
      adjusted: false,
      children: [],
    };
    if (item.years !== r.years) item.years = undefined;
    const adjusted = r.years !== r.defaultYears;
    item.adjusted ||= adjusted;
    item.children!.push({
      key: r.subItemCode,
      code: r.subItemCode,
      name: r.subItemName,
      years: r.years,
      adjusted,
      defaultYears: r.defaultYears,
    });
    items.set(r.itemCode, item);
  }
  return [...items.values()];
}

/**
 * 档案 on 站点设置 (admin): the retention (保管期限) per item and sub-item, applied to volumes filed from then on, and
 * sealing on schedule (自动封存). Each change is an audited command of this station's own.
 */
export function ArchiveSettingsCards() {
  const [settings, setSettings] = useState<ArchiveSettings | null>(null);
  const [autoSeal, setAutoSeal] = useState<{ on: boolean; days: number | null }>({ on: false, days: 30 });
  const [compression, setCompression] = useState<Partial<PageCompressionSetting>>({});
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string } | null>(null);

  const show = (s: ArchiveSettings) => {
    setSettings(s);
    setAutoSeal((a) => ({ on: s.autoSealDays !== null, days: s.autoSealDays ?? a.days }));
    setCompression(s.compression);
  };

  useEffect(() => {
    client()
      .call('archive.settings', {})
      .then(show, (err: unknown) => setMessage({ type: 'error', text: errorMessage(err) }));
  }, []);

  async function change(call: () => Promise<ArchiveSettings>, done: string) {
    setMessage(null);
    try {
      show(await call());
      setMessage({ type: 'success', text: done });
    } catch (err) {
      setMessage({ type: 'error', text: errorMessage(err) });
    }
  }

  const setRetention = (row: ItemRow, value: number) =>
    void change(
      () => client().call('archive.setRetention', { code: row.code, years: fromValue(value) }),
      `${row.code} ${row.name}的保管期限已改为${retentionLabel(fromValue(value))}`,
    );

  const columns: TableColumnsType<ItemRow> = [
    { title: '事项', key: 'name', render: (_: unknown, r) => `${r.code} ${r.name}` },
    {
      title: '保管期限',
      key: 'years',
      width: 200,
      render: (_: unknown, r) => (
        <Select<number>
          aria-label={`保管期限：${r.code} ${r.name}`}
          size="small"
          style={{ width: 150 }}
          value={r.years === undefined ? undefined : toValue(r.years)}
          placeholder="各子项不同"
          options={optionsFor(r.years)}
          onChange={(v) => setRetention(r, v)}
        />
      ),
    },
    {
      title: '默认',
      key: 'default',
      width: 160,
      render: (_: unknown, r) =>
        r.children ? (
          r.adjusted ? (
            <Tag color="orange">有调整</Tag>
          ) : null
        ) : (
          <Space size={4}>
            {retentionLabel(r.defaultYears!)}
            {r.adjusted && <Tag color="orange">已调整</Tag>}
          </Space>
        ),
    },
  ];

  const savedDays = settings?.autoSealDays ?? null;
  const wanted = autoSeal.on ? autoSeal.days : null;

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" role="region" aria-label="档案设置">
      <StatusAlert message={message} />
      {settings && (
        <Card title="自动封存" size="small">
          <Space wrap>
            <Switch
              aria-label="自动封存"
              checked={autoSeal.on}
              checkedChildren="开启"
              unCheckedChildren="关闭"
              onChange={(on) => setAutoSeal((a) => ({ ...a, on }))}
            />
            <span>归档后</span>
            <InputNumber
              aria-label="封存天数"
              min={0}
              max={MAX_AUTO_SEAL_DAYS}
              precision={0}
              disabled={!autoSeal.on}
              value={autoSeal.days}
              onChange={(days) => setAutoSeal((a) => ({ ...a, days }))}
            />
            <span>天自动封存</span>
            <Button
              disabled={wanted === savedDays || (autoSeal.on && autoSeal.days === null)}
              onClick={() =>
                void change(
                  () => client().call('archive.setAutoSeal', { afterDays: wanted }),
                  wanted === null ? '已关闭自动封存' : `已设置归档后${wanted}天自动封存`,
                )
              }
            >
              保存封存设置
            </Button>
          </Space>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }} data-testid="auto-seal-next">
            {settings.nextCheckAt
              ? `每小时检查一次，下次检查：${new Date(settings.nextCheckAt).toLocaleString('zh-CN')}。已归档未封存的档案在归档满${savedDays}天后由系统封存（记入审计日志）；重新立卷从立卷时重新计算。`
              : '自动封存未开启：档案由管理员在案件的“档案”栏中手动封存。'}
          </Typography.Paragraph>
        </Card>
      )}
      {settings && (
        <Card title="影像压缩" size="small">
          <Space wrap>
            <span>长边</span>
            <InputNumber
              aria-label="影像长边像素"
              min={1000}
              max={4000}
              step={100}
              precision={0}
              value={compression.maxLongSide ?? null}
              onChange={(v) => setCompression((c) => ({ ...c, maxLongSide: v ?? undefined }))}
            />
            <span>像素，JPEG质量</span>
            <InputNumber
              aria-label="影像压缩质量"
              min={50}
              max={95}
              precision={0}
              value={compression.jpegQuality ?? null}
              onChange={(v) => setCompression((c) => ({ ...c, jpegQuality: v ?? undefined }))}
            />
            <Button
              disabled={
                compression.maxLongSide === undefined ||
                compression.jpegQuality === undefined ||
                (compression.maxLongSide === settings.compression.maxLongSide &&
                  compression.jpegQuality === settings.compression.jpegQuality)
              }
              onClick={() => {
                const next = { maxLongSide: compression.maxLongSide!, jpegQuality: compression.jpegQuality! };
                void change(
                  () => client().call('archive.setCompression', next),
                  `新采集的影像将按长边${next.maxLongSide}像素、质量${next.jpegQuality}保存`,
                );
              }}
            >
              保存压缩设置
            </Button>
          </Space>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            图片缩小到长边不超过该像素后按该质量保存为JPEG（PDF原样保存）；对此后采集和导入的影像生效。数值越大越清晰，占用磁盘、备份和上传流量也越多（长边2000像素、质量80时每页约0.4MB）。
          </Typography.Paragraph>
        </Card>
      )}
      {settings && (
        <Card title="档案保管期限" size="small">
          <Typography.Paragraph type="secondary">
            保管期限按事项设置，对此后归档的案卷生效，已归档的案卷保持归档时的期限。期限自归档年度的次年1月1日起计算；期满的档案在“档案查询”中显示为“已到期”，待鉴定，系统不会自动删除。
          </Typography.Paragraph>
          <Table<ItemRow>
            aria-label="档案保管期限"
            rowKey="key"
            size="small"
            columns={columns}
            dataSource={tree(settings.retention)}
            pagination={false}
          />
        </Card>
      )}
    </Space>
  );
}
