import { Alert, Button, Card, Descriptions, Form, Input, Radio, Select, Space, Switch, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { RefSelectProps } from 'antd';
import type { CaseView, CatalogueEntry, MaterialStatus } from '#shared/api/cases';
import type { ResultOf } from '#shared/api/contract';
import { formatYuan } from '#shared/domain/money/fen';
import { toCapitalAmount } from '#shared/domain/money/capital-amount';
import { CASE_STATUS_LABELS } from '#shared/domain/cases/state-machine';
import type { CatalogueSubItem } from '#shared/domain/catalogue/schema';
import { client } from '../../../app/client';
import { errorMessage } from '../../../app/errors';
import { useHotkeys } from '../../../hooks/useHotkeys';
import { useCounter } from '../../../stores/counter';
import { useWindowQueue } from '../../hall/window-store';
import { CasePagesCapture } from './CasePagesCapture';

const FORM_LABELS = { original: '原件', copy: '复印件', original_and_copy: '原件及复印件' } as const;

type Outcome = { type: 'success' | 'warning'; text: string };
type Quote = NonNullable<ResultOf<'case.quote'>>;

/** Pick the business item, tick the materials, fill its form, accept: keyboard first, no dialogs. */
export function AcceptPanel({ onDone }: { onDone: () => void }) {
  const { person, employer, showDocuments } = useCounter();
  const [entries, setEntries] = useState<CatalogueEntry[]>([]);
  const [sub, setSub] = useState<CatalogueSubItem | null>(null);
  const [materials, setMaterials] = useState<Record<string, MaterialStatus>>({});
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [quote, setQuote] = useState<Quote | null>(null);
  // The case just accepted: its materials are captured next, into the same checklist.
  const [accepted, setAccepted] = useState<CaseView | null>(null);
  const [form] = Form.useForm<Record<string, unknown>>();
  const pickerRef = useRef<RefSelectProps>(null);

  useEffect(() => {
    void client()
      .call('catalogue.list', {})
      .then(setEntries, (err: unknown) => setError(errorMessage(err)));
  }, []);

  const missingRequired = sub?.materials.filter((m) => m.required && materials[m.code] === 'missing') ?? [];
  // With a required material missing nothing is accepted, so the form need not be filled: the notice goes out at once.
  const accept = () => (missingRequired.length > 0 ? void submit(form.getFieldsValue()) : form.submit());

  async function calculate() {
    if (!sub) return;
    setError(null);
    try {
      setQuote(
        await client().call('case.quote', {
          subItemCode: sub.code,
          ...(person ? { personId: person.id } : {}),
          form: form.getFieldsValue(),
        }),
      );
    } catch (err) {
      setQuote(null);
      setError(errorMessage(err));
    }
  }

  useHotkeys({
    F3: () => pickerRef.current?.focus(),
    F7: () => void calculate(),
    F9: accept,
  });

  async function choose(code: string) {
    setOutcome(null);
    setAccepted(null);
    setError(null);
    const next = (await client().call('catalogue.subItem', { code })) as unknown as CatalogueSubItem;
    setSub(next);
    setQuote(null);
    setMaterials(Object.fromEntries(next.materials.map((m) => [m.code, 'missing' as MaterialStatus])));
    form.resetFields();
  }

  // Fill the subject's fields from the person or employer being served.
  useEffect(() => {
    if (!sub) return;
    const known: Record<string, unknown> = {};
    if (person) Object.assign(known, { name: person.name, phone: person.phone ?? undefined });
    if (employer) Object.assign(known, { creditCode: employer.creditCode, employerName: employer.name });
    form.setFieldsValue(Object.fromEntries(Object.entries(known).filter(([k]) => sub.formFields.some((f) => f.key === k))));
  }, [sub, person, employer, form]);

  async function submit(values: Record<string, unknown>) {
    if (!sub) return;
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      const r = await client().call('case.accept', {
        subItemCode: sub.code,
        ...(person ? { personId: person.id } : {}),
        ...(employer ? { employerId: employer.id } : {}),
        materials: Object.entries(materials).map(([code, status]) => ({ code, status })),
        form: values,
      });
      showDocuments(r.documents);
      if (r.outcome === 'notice') {
        setOutcome({ type: 'warning', text: `材料不全，未受理。已生成一次性告知单，缺：${r.missing.join('、')}` });
      } else {
        setOutcome({ type: 'success', text: `已受理，受理编号 ${r.case.caseNo}，当前状态：${CASE_STATUS_LABELS[r.case.status]}` });
        // The case joins the visit of the ticket being served, so trips per matter can be counted.
        if (useWindowQueue.getState().view?.current?.status === 'serving') await client().call('queue.linkCase', { caseId: r.case.id });
        setSub(null);
        setAccepted(r.case);
      }
      onDone();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="业务受理" size="small" extra={<span className="fkey">F3 选事项 · F7 计算 · F9 受理</span>}>
      <Select
        ref={pickerRef}
        showSearch
        aria-label="选择办理事项"
        placeholder="输入事项名称或编码，常用事项排在前面"
        style={{ width: '100%' }}
        value={sub?.code}
        onChange={(code: string) => void choose(code)}
        optionFilterProp="label"
        options={entries
          .filter((e) => e.opensCase)
          .map((e) => ({ value: e.code, label: `${e.code} ${e.name}${e.uses ? `（近30天${e.uses}件）` : ''}` }))}
      />
      {outcome && <Alert type={outcome.type} showIcon title={outcome.text} style={{ marginTop: 12 }} data-testid="accept-outcome" />}
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginTop: 12 }} />}
      {accepted && !sub && <CasePagesCapture view={accepted} onClose={() => setAccepted(null)} />}
      {sub && (
        <div style={{ marginTop: 12 }}>
          <Descriptions size="small" column={2}>
            <Descriptions.Item label="办理时限">
              {sub.timeLimit.kind === 'immediate' ? '即办' : `${sub.timeLimit.workingDays}个工作日`}
            </Descriptions.Item>
            <Descriptions.Item label="审核">
              <Tag>{['', '一级', '二级复核', '三级审批'][sub.reviewLevel]}</Tag>
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>材料清单</Typography.Title>
          <div role="list" aria-label="材料清单">
            {sub.materials.map((m) => (
              <div
                key={m.code}
                role="listitem"
                aria-label={m.name}
                style={{ display: 'flex', justifyContent: 'space-between', gap: 8, padding: '4px 0', borderBottom: '1px dashed #eee' }}
              >
                <span>
                  {m.required ? <Typography.Text type="danger">*</Typography.Text> : null}
                  {m.name}{' '}
                  <span className="muted">
                    （{FORM_LABELS[m.form]}
                    {m.copies > 1 ? ` ${m.copies}份` : ''}）
                  </span>
                </span>
                <Radio.Group
                  size="small"
                  optionType="button"
                  value={materials[m.code]}
                  onChange={(e) => setMaterials({ ...materials, [m.code]: e.target.value as MaterialStatus })}
                  options={[
                    { value: 'received', label: '已收' },
                    { value: 'missing', label: '未带' },
                    ...(m.dataCheckReplaceable ? [{ value: 'data_check', label: '数据核验' }] : []),
                  ]}
                />
              </div>
            ))}
          </div>
          <Typography.Title level={5} style={{ marginTop: 12 }}>
            填写信息
          </Typography.Title>
          <Form form={form} layout="vertical" size="small" onFinish={(v) => void submit(v)} aria-label="事项表单">
            {sub.formFields.map((f) => (
              <Form.Item
                key={f.key}
                name={f.key}
                label={f.label}
                valuePropName={f.type === 'boolean' ? 'checked' : 'value'}
                rules={f.required && !(f.key === 'idNumber' && person) ? [{ required: true, message: `请填写${f.label}` }] : []}
                extra={f.key === 'idNumber' && person ? '留空则使用当前服务对象的证件号码' : undefined}
              >
                {f.type === 'select' ? (
                  <Select options={f.options} />
                ) : f.type === 'boolean' ? (
                  <Switch />
                ) : (
                  <Input placeholder={{ date: 'YYYY-MM-DD', month: 'YYYY-MM', money: '金额（元）' }[f.type as string]} />
                )}
              </Form.Item>
            ))}
            {sub.computes.length > 0 && (
              <div style={{ marginBottom: 12 }} data-testid="quote">
                <Button onClick={() => void calculate()}>计算金额 (F7)</Button>
                {quote && (
                  <table className="quote-table">
                    <tbody>
                      {quote.lines.map((l) => (
                        <tr key={l.label}>
                          <td>{l.label}</td>
                          <td className="num">{formatYuan(l.fen)}</td>
                        </tr>
                      ))}
                      <tr className="total">
                        <td>合计（{toCapitalAmount(quote.totalFen)}）</td>
                        <td className="num">{formatYuan(quote.totalFen)}</td>
                      </tr>
                    </tbody>
                    <caption className="muted">{quote.note}</caption>
                  </table>
                )}
              </div>
            )}
            <Space>
              <Button type="primary" onClick={accept} loading={busy}>
                {missingRequired.length > 0 ? '出具一次性告知单 (F9)' : '受理 (F9)'}
              </Button>
              <Button onClick={() => setSub(null)}>取消</Button>
            </Space>
          </Form>
        </div>
      )}
    </Card>
  );
}
