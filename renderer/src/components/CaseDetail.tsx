import { Descriptions, Tag, Timeline, Typography } from 'antd';
import type { CaseView } from '#shared/api/cases';
import { CASE_ACTION_LABELS, CASE_STATUS_LABELS } from '#shared/domain/cases/state-machine';
import { ArchivePanel } from './ArchivePanel';
import { MaterialPages } from './MaterialPages';

const MATERIAL_STATUS = { received: '已收', missing: '未收', data_check: '数据核验' } as const;

/** A case as the back office and the pickup window see it. */
export function CaseDetail({ view }: { view: CaseView }) {
  return (
    <div data-testid="case-detail">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {view.subItemName} <Tag color="blue">{CASE_STATUS_LABELS[view.status]}</Tag>
      </Typography.Title>
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label="受理编号">{view.caseNo}</Descriptions.Item>
        <Descriptions.Item label="承诺办结">{view.promisedDate ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="申请人">
          {view.person ? `${view.person.name} ${view.person.idNumberMasked}` : (view.employerName ?? '—')}
        </Descriptions.Item>
        <Descriptions.Item label="受理">
          {view.acceptedByName} · {view.acceptedWindow ?? '—'}号窗口 · {new Date(view.acceptedAt).toLocaleString('zh-CN')}
        </Descriptions.Item>
        {view.lastReason && (
          <Descriptions.Item label="最近意见" span={2}>
            {view.lastReason}
          </Descriptions.Item>
        )}
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        材料
      </Typography.Title>
      <div>
        {view.materials.map((m) => (
          <Tag key={m.code} color={m.status === 'missing' ? 'red' : 'green'}>
            {m.name}：{MATERIAL_STATUS[m.status]}
          </Tag>
        ))}
      </div>
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        材料影像
      </Typography.Title>
      <MaterialPages caseId={view.id} materials={view.materials} />
      {view.status === 'delivered' && <ArchivePanel view={view} />}
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        填报内容
      </Typography.Title>
      <Descriptions size="small" column={2}>
        {view.form.map((f) => (
          <Descriptions.Item key={f.key} label={f.label}>
            {f.value}
          </Descriptions.Item>
        ))}
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        办理过程
      </Typography.Title>
      <Timeline
        items={view.events.map((e) => ({
          children: `${new Date(e.at).toLocaleString('zh-CN')} ${e.operatorName}${e.windowNo ? `（${e.windowNo}号窗口）` : ''} ${CASE_ACTION_LABELS[e.action]} → ${CASE_STATUS_LABELS[e.toStatus]}${e.reason ? `（${e.reason}）` : ''}`,
        }))}
      />
    </div>
  );
}
