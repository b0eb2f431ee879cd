import { Button, Card, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError } from '#shared/api/errors';
import { SCANNER_FILED_FOLDER, type ScannerSettings } from '#shared/api/scanner';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { StatusAlert, type StatusMessage } from '../../components/StatusAlert';

/** 扫描仪: the folder this PC's scanner saves into, offered at the workbench as 扫描导入; empty when there is none. */
export function ScannerFolderCard() {
  const [form] = Form.useForm<ScannerSettings>();
  const [message, setMessage] = useState<StatusMessage | null>(null);
  const [busy, setBusy] = useState(false);
  // Until the saved folder is in, typing would be overwritten by it.
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    void client()
      .call('scanner.settings', {})
      .then(
        (settings) => {
          form.setFieldsValue(settings);
          setLoaded(true);
        },
        (err: unknown) => setMessage({ type: 'error', text: errorMessage(err) }),
      );
  }, [form]);

  async function save(values: ScannerSettings) {
    setBusy(true);
    setMessage(null);
    try {
      form.setFieldsValue(await client().call('scanner.saveSettings', { folder: values.folder ?? '' }));
      setMessage({ type: 'success', text: values.folder?.trim() ? '扫描文件夹已保存' : '已停用扫描导入' });
    } catch (err) {
      if (err instanceof ApiError && err.issues) form.setFields(err.issues.map((i) => ({ name: 'folder' as const, errors: [i.message] })));
      setMessage({ type: 'error', text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="扫描仪" size="small" aria-label="扫描仪">
      <Typography.Paragraph type="secondary">
        扫描仪把扫描件保存到本机的一个文件夹时，在此填写该文件夹，柜员即可在材料影像中“扫描导入”。归入后的文件移到其中的“
        {SCANNER_FILED_FOLDER}”子文件夹，不会删除。留空表示不使用。
      </Typography.Paragraph>
      <StatusAlert message={message} />
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)} aria-label="扫描仪设置">
        <Form.Item label="扫描文件夹" name="folder" extra="完整路径，例如 D:\扫描 或 /home/guiyuan/扫描">
          <Input allowClear disabled={!loaded} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} disabled={!loaded}>
          保存扫描文件夹
        </Button>
      </Form>
    </Card>
  );
}
