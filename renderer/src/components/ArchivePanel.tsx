import { Alert, Button, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { VolumeView } from '#shared/api/archive';
import type { CaseView, DocumentView } from '#shared/api/cases';
import type { PrintBlock } from '#shared/documents/print-document';
import { client } from '../app/client';
import { errorMessage } from '../app/errors';
import { useSession } from '../stores/session';
import { DocumentPreview } from './DocumentPreview';

/** 归档 and 封存 of a delivered case, with its catalogue (卷内目录) once filed. */
export function ArchivePanel({ view }: { view: CaseView }) {
  const role = useSession((s) => s.session!.operator.role);
  const [volume, setVolume] = useState<VolumeView | null>(null);
  const [catalogue, setCatalogue] = useState<DocumentView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const show = useCallback(async (found: VolumeView | null) => {
    setVolume(found);
    setCatalogue(found ? await client().call('document.get', { id: found.documentId }) : null);
  }, []);

  useEffect(() => {
    client()
      .call('archive.search', { caseNo: view.caseNo })
      .then((found) => show(found[0] ?? null))
      .catch((err: unknown) => setError(errorMessage(err)));
  }, [view.caseNo, show]);

  async function run(action: () => Promise<VolumeView>) {
    setError(null);
    try {
      await show(await action());
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const sealed = volume?.sealedAt != null;
  return (
    <section aria-label="档案" data-testid="archive-panel">
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        档案 {volume ? <Tag color={sealed ? 'purple' : 'green'}>{sealed ? '已封存' : '已归档'}</Tag> : <Tag>未归档</Tag>}
        {volume && volume.supplements > 0 && <Tag color="orange">补充 {volume.supplements} 页</Tag>}
      </Typography.Title>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 8 }} />}
      <Space>
        {!sealed && (role === 'teller' || role === 'admin') && (
          <Button onClick={() => void run(async () => (await client().call('archive.file', { caseId: view.id })).volume)}>
            {volume ? '重新立卷' : '归档'}
          </Button>
        )}
        {volume && !sealed && role === 'admin' && (
          <Button danger onClick={() => void run(() => client().call('archive.seal', { caseId: view.id }))}>
            封存
          </Button>
        )}
      </Space>
      {catalogue && (
        <div style={{ marginTop: 8, maxWidth: 360 }}>
          <DocumentPreview title={catalogue.title} blocks={catalogue.blocks as unknown as PrintBlock[]} />
        </div>
      )}
    </section>
  );
}
