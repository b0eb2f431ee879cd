import { Alert, Checkbox, Form, Input, InputNumber, Modal, Select, Space, type FormRule } from 'antd';
import { useState } from 'react';
import type { z } from 'zod';
import { TICKET_KINDS, TICKET_KIND_LABELS, type TicketCategory } from '#shared/domain/queue/categories';
import { queueSettingsSchema, type QueueSettings } from '#shared/domain/queue/settings';

/** What the form holds: an emptied daily cap is undefined until it becomes null (不限). */
type CategoryForm = Omit<TicketCategory, 'dailyCap'> & { dailyCap?: number | null };
type FieldName = (string | number)[];

const NEW_CATEGORY: TicketCategory = {
  code: '',
  name: '',
  kind: 'business',
  numberFrom: 1,
  numberTo: 999,
  dailyCap: null,
  hours: { from: '00:00', to: '24:00' },
  weight: 1,
  windows: [],
};

/**
 * The schema's own messages cover its rules in words; the bare number and type checks get a short Chinese message
 * here, worded for a field rather than for a JSON path.
 */
const fieldMessage = (issue: z.core.$ZodRawIssue): string | undefined => {
  if (issue.code === 'too_small' && issue.origin === 'number') return `不能小于${String(issue.minimum)}`;
  if (issue.code === 'too_big' && issue.origin === 'number') return `不能大于${String(issue.maximum)}`;
  if (issue.code === 'invalid_type') return '请填写';
  return undefined;
};

/**
 * The form field an issue of the candidate settings belongs to, or null when it concerns the settings as a whole.
 * The prefix refinement sits on the whole list; the hours refinement on the pair, and names the end time.
 */
function fieldOf(issue: z.core.$ZodIssue, index: number): FieldName | null {
  const [list, at, field, sub] = issue.path;
  if (list !== 'categories') return null;
  if (at === undefined) return issue.code === 'custom' ? ['code'] : null;
  if (at !== index || field === undefined) return null;
  if (field === 'hours') return ['hours', sub === 'from' ? 'from' : 'to'];
  return [field as string];
}

interface Props {
  /** The settings being edited on the page, not yet saved. */
  settings: QueueSettings;
  /** The category edited, or null to add one. */
  index: number | null;
  /** The station's windows, to choose those that serve the category. */
  windows: readonly number[];
  onDone: (next: QueueSettings) => void;
  onCancel: () => void;
}

/**
 * Adds or edits one ticket category. Every field is checked by running the shared schema, the rules the core
 * enforces, on the settings as they would be with this category, so a duplicate prefix or a reversed number range is
 * shown on its field before anything is sent; the page saves nothing until 保存.
 */
export function CategoryEditor({ settings, index, windows, onDone, onCancel }: Props) {
  const [form] = Form.useForm<CategoryForm>();
  const [overall, setOverall] = useState<string | null>(null);
  const at = index ?? settings.categories.length;

  const check = (values: CategoryForm) => {
    const category: TicketCategory = { ...values, dailyCap: values.dailyCap ?? null };
    const categories = index === null ? [...settings.categories, category] : settings.categories.map((c, i) => (i === at ? category : c));
    return queueSettingsSchema.safeParse({ ...settings, categories }, { error: fieldMessage });
  };
  const rules = (name: FieldName): FormRule[] => [
    {
      validator: async () => {
        const parsed = check(form.getFieldsValue(true));
        const messages = parsed.success
          ? []
          : parsed.error.issues.filter((i) => fieldOf(i, at)?.join() === name.join()).map((i) => i.message);
        if (messages.length > 0) throw new Error(messages.join('；'));
      },
    },
  ];

  function submit(values: CategoryForm) {
    const parsed = check(values);
    if (parsed.success) onDone(parsed.data);
    else setOverall(parsed.error.issues.map((i) => i.message).join('；'));
  }

  return (
    <Modal
      open
      title={index === null ? '新增号类' : `编辑号类（${settings.categories[index]!.code}）`}
      okText="确定"
      // The modal sits inside the form, so Enter in any field submits it and the OK button is its submit button.
      okButtonProps={{ htmlType: 'submit' }}
      onCancel={onCancel}
      width={560}
      modalRender={(dom) => (
        <Form
          form={form}
          layout="vertical"
          initialValues={index === null ? NEW_CATEGORY : settings.categories[index]}
          onFinish={submit}
          onValuesChange={() => setOverall(null)}
        >
          {dom}
        </Form>
      )}
    >
      {overall && <Alert type="error" showIcon title={overall} style={{ marginBottom: 12 }} />}
      <Space align="start" size="middle">
        <Form.Item label="前缀" name="code" rules={rules(['code'])} normalize={(v: string) => v.toUpperCase()} style={{ width: 120 }}>
          <Input aria-label="前缀" maxLength={2} autoFocus />
        </Form.Item>
        <Form.Item label="名称" name="name" rules={rules(['name'])} style={{ width: 200 }}>
          <Input aria-label="名称" maxLength={12} />
        </Form.Item>
        <Form.Item label="类型" name="kind" style={{ width: 140 }}>
          <Select aria-label="类型" options={TICKET_KINDS.map((k) => ({ value: k, label: TICKET_KIND_LABELS[k] }))} />
        </Form.Item>
      </Space>
      <Space align="start" size="middle">
        <Form.Item label="号段起" name="numberFrom" rules={rules(['numberFrom'])}>
          <InputNumber aria-label="号段起" precision={0} />
        </Form.Item>
        <Form.Item label="号段止" name="numberTo" rules={rules(['numberTo'])} dependencies={['numberFrom']}>
          <InputNumber aria-label="号段止" precision={0} />
        </Form.Item>
        <Form.Item label="每日上限" name="dailyCap" rules={rules(['dailyCap'])} extra="留空为不限">
          <InputNumber aria-label="每日上限" precision={0} placeholder="不限" />
        </Form.Item>
      </Space>
      <Space align="start" size="middle">
        <Form.Item label="取号开始" name={['hours', 'from']} rules={rules(['hours', 'from'])}>
          <Input aria-label="取号开始" placeholder="08:30" style={{ width: 100 }} />
        </Form.Item>
        <Form.Item label="取号结束" name={['hours', 'to']} rules={rules(['hours', 'to'])} dependencies={[['hours', 'from']]}>
          <Input aria-label="取号结束" placeholder="17:00" style={{ width: 100 }} />
        </Form.Item>
        <Form.Item label="叫号比例" name="weight" rules={rules(['weight'])} extra="绿色通道始终优先，不按比例">
          <InputNumber aria-label="叫号比例" precision={0} />
        </Form.Item>
      </Space>
      <Form.Item label="办理窗口" name="windows" rules={rules(['windows'])}>
        <Checkbox.Group aria-label="办理窗口" options={windows.map((w) => ({ value: w, label: `${w}号窗口` }))} />
      </Form.Item>
    </Modal>
  );
}
