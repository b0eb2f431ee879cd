import { Alert, Button, Modal, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { client } from '../../../app/client';
import { errorMessage } from '../../../app/errors';
import { isUnedited, type PageEdit, type Size } from './page-geometry';
import { editedUpload, fileUpload, simulatedFrame, UploadError, type PageTarget, type PageUpload, type PartProgress } from './page-upload';
import { PageEditor } from './PageEditor';
import { ScannerImport } from './ScannerImport';

const ACCEPTED_FILES = 'image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf';

/** A picture waiting in the editor before it is filed. */
interface Frame {
  image: CanvasImageSource;
  size: Size;
  name: string;
}

/** An imported picture in the editor: which of the files picked it is, and where the teller's decision goes (null: not filed). */
interface ImportFrame extends Frame {
  position: string;
  decide: (edit: PageEdit | null) => void;
}

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

const canvasFrame = (canvas: HTMLCanvasElement, name: string): Frame => ({
  image: canvas,
  size: { width: canvas.width, height: canvas.height },
  name,
});

/** The current camera picture, held still on a canvas for the editor. */
function grab(video: HTMLVideoElement): Frame {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d')!.drawImage(video, 0, 0);
  return canvasFrame(canvas, `拍摄-${Date.now()}.jpg`);
}

/**
 * 拍照, 导入 and 扫描导入 for one material of a case: each capture or file becomes one more page of that material. A
 * camera frame and an imported picture pass the editor first (turn, straighten, crop); PDFs and scans go as they are.
 */
export function PageCapture({ caseId, material, onAttached }: PageTarget) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Which part of a large imported file is on its way. */
  const [progress, setProgress] = useState<string | null>(null);
  const [taken, setTaken] = useState(0);
  const [frame, setFrame] = useState<Frame | null>(null);
  const [importing, setImporting] = useState<ImportFrame | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const { video, state } = useCamera(open);

  /** Files one page; false (with the reason shown) when it was not filed. */
  async function attach(make: () => PageUpload | Promise<PageUpload>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      await client().call('pages.attach', { caseId, materialCode: material.code, file: await make() });
      onAttached();
      return true;
    } catch (err) {
      setError(err instanceof UploadError ? err.message : errorMessage(err));
      return false;
    } finally {
      setProgress(null);
      setBusy(false);
    }
  }

  /** An imported file as it is, a large one in parts with their progress shown. */
  const importUpload = (file: File) => {
    const onPart: PartProgress = (n, of) => setProgress(`正在上传“${file.name}” 第${n}/${of}部分`);
    return fileUpload(file, onPart);
  };

  async function fileFrame(f: Frame, edit: PageEdit) {
    if (await attach(() => editedUpload(f.image, f.size, edit, f.name))) {
      setTaken((n) => n + 1);
      setFrame(null);
    }
  }

  /** One page per file, in the order picked; each picture is shown in the editor first, anything else sent as it is. */
  async function importFiles(files: File[]) {
    if (input.current) input.current.value = '';
    for (const [i, file] of files.entries()) {
      // Whatever the browser cannot draw goes to the core unchanged, which judges it by its bytes (PDFs, broken files).
      const bitmap = await createImageBitmap(file).catch(() => null);
      if (!bitmap) {
        await attach(() => importUpload(file));
        continue;
      }
      try {
        const size = { width: bitmap.width, height: bitmap.height };
        const edit = await new Promise<PageEdit | null>((decide) =>
          setImporting({ image: bitmap, size, name: file.name, position: `${i + 1}/${files.length}`, decide }),
        );
        // Untouched: the file itself, exactly as an import without the editor.
        if (edit) await attach(() => (isUnedited(size, edit) ? importUpload(file) : editedUpload(bitmap, size, edit, file.name)));
      } finally {
        bitmap.close();
      }
    }
    setImporting(null);
  }

  const closeCamera = () => {
    setFrame(null);
    setOpen(false);
  };

  return (
    <>
      <Space size={4}>
        <Button size="small" onClick={() => (setTaken(0), setError(null), setOpen(true))} aria-label={`拍照：${material.name}`}>
          拍照
        </Button>
        <Button
          size="small"
          onClick={() => input.current?.click()}
          loading={busy && !open && !importing}
          aria-label={`导入：${material.name}`}
        >
          导入
        </Button>
        <ScannerImport caseId={caseId} material={material} onAttached={onAttached} />
        <input
          ref={input}
          type="file"
          accept={ACCEPTED_FILES}
          multiple
          hidden
          aria-label={`导入文件：${material.name}`}
          onChange={(e) => void importFiles(Array.from(e.target.files ?? []))}
        />
      </Space>
      {progress && (
        <Typography.Text type="secondary" role="status">
          {progress}
        </Typography.Text>
      )}
      {error && !open && (
        <Typography.Text type="danger" role="alert">
          {error}
        </Typography.Text>
      )}
      <Modal
        open={open}
        title={`拍照：${material.name}`}
        onCancel={closeCamera}
        footer={<Button onClick={closeCamera}>完成</Button>}
        width={frame ? 760 : 520}
        destroyOnHidden
      >
        {frame ? (
          <PageEditor
            image={frame.image}
            size={frame.size}
            busy={busy}
            discardLabel="重拍"
            onConfirm={(edit) => void fileFrame(frame, edit)}
            onDiscard={() => (setError(null), setFrame(null))}
          />
        ) : (
          <div style={{ background: '#111', minHeight: 240, display: 'grid', placeItems: 'center' }}>
            {/* The camera's picture is never recorded: only a captured frame leaves this element. */}
            <video ref={video} autoPlay muted playsInline style={{ maxWidth: '100%', display: state === 'live' ? 'block' : 'none' }} />
            {state !== 'live' && (
              <Typography.Text style={{ color: '#ccc' }}>
                {state === 'starting' ? '正在打开高拍仪…' : '未检测到高拍仪，可使用模拟高拍仪'}
              </Typography.Text>
            )}
          </div>
        )}
        {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginTop: 8 }} />}
        <Space style={{ marginTop: 12 }}>
          {!frame && (
            <>
              <Button type="primary" disabled={state !== 'live'} onClick={() => setFrame(grab(video.current!))}>
                拍摄
              </Button>
              <Button onClick={() => setFrame(canvasFrame(simulatedFrame(material.name), `模拟拍摄-${Date.now()}.jpg`))}>
                模拟高拍仪拍摄
              </Button>
            </>
          )}
          <span className="muted" role="status">
            本次已拍 {taken} 页
          </span>
        </Space>
      </Modal>
      <Modal
        open={importing !== null}
        title={importing && `调整：${importing.name}（${importing.position}）`}
        onCancel={() => importing?.decide(null)}
        footer={null}
        width={760}
        destroyOnHidden
      >
        {importing && (
          <PageEditor
            key={importing.position}
            image={importing.image}
            size={importing.size}
            busy={busy}
            discardLabel="取消"
            onConfirm={importing.decide}
            onDiscard={() => importing.decide(null)}
          />
        )}
      </Modal>
    </>
  );
}
