import { Alert, Button, Checkbox, Empty, Modal, Space, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { ResultOf } from '#shared/api/contract';
import type { ScannerFile } from '#shared/api/scanner';
import { client } from '../../../app/client';
import { errorMessage } from '../../../app/errors';
import type { PageTarget } from './page-upload';

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** A small picture of a waiting scan, made by the core on demand; a PDF shows as a tag. */
function ScanThumb({ file }: { file: ScannerFile }) {
  // null while loading, false when the core could not make one
  const [src, setSrc] = useState<string | null | false>(null);
  const image = file.kind === 'image' && !file.tooLarge;
  useEffect(() => {
    if (!image) return;
    let live = true;
    void client()
      .call('scanner.thumbnail', { name: file.name })
      .then(
        (r) => live && setSrc(r.dataUrl),
        // Reading the file when it is taken tells why; the list only goes without a picture.
        () => live && setSrc(false),
      );
    return () => void (live = false);
  }, [file.name, image]);
  const box = { width: 64, height: 64, display: 'grid', placeItems: 'center', background: '#f5f5f5' } as const;
  if (!image) return <div style={box}>{file.kind === 'pdf' ? <Tag color="blue">PDF</Tag> : null}</div>;
  return (
    <div style={box}>
      {src === null ? (
        <Spin size="small" />
      ) : src ? (
        <img src={src} alt={`缩略图 ${file.name}`} style={{ maxWidth: 64, maxHeight: 64 }} />
      ) : (
        <span className="muted">无预览</span>
      )}
    </div>
  );
}

/**
 * 扫描导入: the files the scanner left in this PC's drop folder. The ticked ones are filed oldest first (a scanner
 * saves a document's pages in order): the core copies each into its staged uploads (the bytes never cross the socket),
 * files it as any staged upload, and then moves the filed files into 已归入.
 */
export function ScannerImport({ caseId, material, onAttached }: PageTarget) {
  const [open, setOpen] = useState(false);
  const [listing, setListing] = useState<ResultOf<'scanner.list'> | null>(null);
  const [picked, setPicked] = useState<readonly string[]>([]);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const next = await client().call('scanner.list', {});
      setListing(next);
      setPicked((p) => p.filter((name) => next.files.some((f) => f.name === name)));
    } catch (err) {
      setListing(null);
      setError(errorMessage(err));
    }
  }, []);
  useEffect(() => {
    if (!open) return;
    setError(null);
    setPicked([]);
    void load();
  }, [open, load]);

  async function fileAll() {
    const names = (listing?.files ?? [])
      .filter((f) => picked.includes(f.name))
      .reverse()
      .map((f) => f.name);
    setBusy(true);
    setError(null);
    const filed: string[] = [];
    let failed: string | null = null;
    for (const [i, name] of names.entries()) {
      setProgress(`正在归入 ${i + 1}/${names.length}：${name}`);
      try {
        const { uploadId, mime, size } = await client().call('scanner.stage', { name });
        await client().call('pages.attach', { caseId, materialCode: material.code, file: { name, mime, uploadId, size } });
        filed.push(name);
      } catch (err) {
        failed = `“${name}”未能归入：${errorMessage(err)}`;
        break;
      }
    }
    if (filed.length > 0) {
      onAttached();
      try {
        await client().call('scanner.done', { names: filed });
      } catch (err) {
        failed = `已归入${filed.length}页，但未能移入“已归入”文件夹（${errorMessage(err)}），请勿重复归入这些文件`;
      }
    }
    setProgress(null);
    setBusy(false);
    setError(failed);
    if (!failed) setOpen(false);
    else void load();
  }

  const files = listing?.files ?? [];
  const takeable = files.filter((f) => !f.tooLarge).map((f) => f.name);
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={`扫描导入：${material.name}`}>
        扫描导入
      </Button>
      <Modal
        open={open}
        title={`扫描导入：${material.name}`}
        onCancel={() => !busy && setOpen(false)}
        width={640}
        destroyOnHidden
        footer={
          <Space>
            <Button onClick={() => void load()} disabled={busy}>
              刷新
            </Button>
            <Button onClick={() => setOpen(false)} disabled={busy}>
              取消
            </Button>
            <Button type="primary" disabled={picked.length === 0} loading={busy} onClick={() => void fileAll()}>
              归入{picked.length > 0 ? `（${picked.length}页）` : ''}
            </Button>
          </Space>
        }
      >
        {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 8 }} />}
        {progress && (
          <Typography.Paragraph role="status" type="secondary">
            {progress}
          </Typography.Paragraph>
        )}
        {listing?.folder === null && (
          <Alert type="info" showIcon title="本机未设置扫描文件夹，请管理员在“设备设置”中填写扫描仪保存文件的文件夹" />
        )}
        {listing?.folder && (
          <>
            <Typography.Paragraph type="secondary" ellipsis={{ tooltip: listing.folder }}>
              扫描文件夹：{listing.folder}
            </Typography.Paragraph>
            {files.length === 0 ? (
              <Empty description="扫描文件夹中没有待归入的文件" />
            ) : (
              <>
                <Checkbox
                  checked={picked.length > 0 && picked.length === takeable.length}
                  indeterminate={picked.length > 0 && picked.length < takeable.length}
                  onChange={(e) => setPicked(e.target.checked ? takeable : [])}
                  disabled={busy}
                >
                  全选
                </Checkbox>
                <div role="list" aria-label="待归入的扫描文件" style={{ maxHeight: 420, overflowY: 'auto', marginTop: 8 }}>
                  {files.map((f) => (
                    <div key={f.name} role="listitem" style={{ padding: '4px 0', borderBottom: '1px solid #f0f0f0' }}>
                      <Checkbox
                        checked={picked.includes(f.name)}
                        disabled={busy || f.tooLarge}
                        onChange={(e) => setPicked((p) => (e.target.checked ? [...p, f.name] : p.filter((n) => n !== f.name)))}
                        aria-label={f.name}
                      >
                        <Space>
                          <ScanThumb file={f} />
                          <span>
                            <div>{f.name}</div>
                            <div className="muted" style={{ fontSize: 12 }}>
                              {dayjs(f.modifiedAt).format('YYYY-MM-DD HH:mm:ss')} · {sizeText(f.size)}
                              {f.tooLarge && <Tag color="red">文件过大</Tag>}
                            </div>
                          </span>
                        </Space>
                      </Checkbox>
                    </div>
                  ))}
                </div>
                {listing.more > 0 && (
                  <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                    另有{listing.more}个较早的文件，归入以上文件后显示
                  </Typography.Paragraph>
                )}
              </>
            )}
          </>
        )}
      </Modal>
    </>
  );
}
