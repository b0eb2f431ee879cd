import { Alert, Button, Modal, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { client } from '../../../app/client';
import { errorMessage } from '../../../app/errors';
import { canvasUpload, fileUpload, simulatedCapture, UploadError, type PageUpload } from './page-upload';

const ACCEPTED_FILES = 'image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf';

/** The document camera's live picture, where the browser (or Electron, for our own page) grants one. */
function useCamera(open: boolean) {
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<'starting' | 'live' | 'none'>('starting');
  useEffect(() => {
    if (!open) return;
    let stream: MediaStream | null = null;
    let live = true;
    setState('starting');
    const media = navigator.mediaDevices as MediaDevices | undefined;
    if (!media?.getUserMedia) {
      setState('none');
      return;
    }
    media.getUserMedia({ video: true }).then(
      (s) => {
        stream = s;
        if (!live) return s.getTracks().forEach((t) => t.stop());
        if (video.current) video.current.srcObject = s;
        setState('live');
      },
      () => live && setState('none'),
    );
    return () => {
      live = false;
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [open]);
  return { video, state };
}

/** 拍照 and 导入 for one material of a case: each capture or file becomes one more page of that material. */
export function PageCapture({
  caseId,
  material,
  onAttached,
}: {
  caseId: string;
  material: { code: string; name: string };
  onAttached: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [taken, setTaken] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const { video, state } = useCamera(open);

  async function attach(make: () => PageUpload | Promise<PageUpload>) {
    setBusy(true);
    setError(null);
    try {
      await client().call('pages.attach', { caseId, materialCode: material.code, file: await make() });
      setTaken((n) => n + 1);
      onAttached();
    } catch (err) {
      setError(err instanceof UploadError ? err.message : errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const frame = () => {
    const v = video.current!;
    return canvasUpload(v, v.videoWidth, v.videoHeight, `拍摄-${Date.now()}.jpg`);
  };

  async function importFiles(files: FileList | null) {
    // One page per file, in the order picked.
    for (const file of Array.from(files ?? [])) await attach(() => fileUpload(file));
    if (input.current) input.current.value = '';
  }

  return (
    <>
      <Space size={4}>
        <Button size="small" onClick={() => (setTaken(0), setOpen(true))} aria-label={`拍照：${material.name}`}>
          拍照
        </Button>
        <Button size="small" onClick={() => input.current?.click()} loading={busy && !open} aria-label={`导入：${material.name}`}>
          导入
        </Button>
        <input
          ref={input}
          type="file"
          accept={ACCEPTED_FILES}
          multiple
          hidden
          aria-label={`导入文件：${material.name}`}
          onChange={(e) => void importFiles(e.target.files)}
        />
      </Space>
      {error && !open && (
        <Typography.Text type="danger" role="alert">
          {error}
        </Typography.Text>
      )}
      <Modal
        open={open}
        title={`拍照：${material.name}`}
        onCancel={() => setOpen(false)}
        footer={<Button onClick={() => setOpen(false)}>完成</Button>}
        destroyOnHidden
      >
        <div style={{ background: '#111', minHeight: 240, display: 'grid', placeItems: 'center' }}>
          {/* The camera's picture is never recorded: only a captured frame leaves this element. */}
          <video ref={video} autoPlay muted playsInline style={{ maxWidth: '100%', display: state === 'live' ? 'block' : 'none' }} />
          {state !== 'live' && (
            <Typography.Text style={{ color: '#ccc' }}>
              {state === 'starting' ? '正在打开高拍仪…' : '未检测到高拍仪，可使用模拟高拍仪'}
            </Typography.Text>
          )}
        </div>
        {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginTop: 8 }} />}
        <Space style={{ marginTop: 12 }}>
          <Button type="primary" disabled={state !== 'live'} loading={busy} onClick={() => void attach(frame)}>
            拍摄
          </Button>
          <Button loading={busy} onClick={() => void attach(() => simulatedCapture(material.name))}>
            模拟高拍仪拍摄
          </Button>
          <span className="muted" role="status">
            本次已拍 {taken} 页
          </span>
        </Space>
      </Modal>
    </>
  );
}
