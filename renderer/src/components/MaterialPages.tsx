import { Alert, Button, Image, Popconfirm, Space, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { PageView } from '#shared/api/archive';
import { client } from '../app/client';
import { errorMessage } from '../app/errors';

interface Material {
  code: string;
  name: string;
}

/**
 * One page: fetched (and verified by the core) on display; a page failing its hash shows the reason, not the picture.
 * A PDF can be tens of megabytes, so it is fetched only when someone opens it.
 */
function PageThumb({ page, onRemove }: { page: PageView; onRemove?: () => void }) {
  const [loaded, setLoaded] = useState<{ dataUrl: string } | { error: string } | null>(null);
  const isPdf = page.mime === 'application/pdf';
  const [opening, setOpening] = useState(false);
  const fetchPage = useCallback(() => client().call('pages.get', { pageId: page.id }), [page.id]);
  useEffect(() => {
    if (isPdf) return;
    let live = true;
    void fetchPage().then(
      (r) => live && setLoaded({ dataUrl: r.dataUrl }),
      (err: unknown) => live && setLoaded({ error: errorMessage(err) }),
    );
    return () => void (live = false);
  }, [fetchPage, isPdf]);

  const openPdf = () => {
    setOpening(true);
    void fetchPage()
      .then(
        (r) => {
          const a = document.createElement('a');
          a.href = r.dataUrl;
          a.download = page.name;
          a.click();
        },
        (err: unknown) => setLoaded({ error: errorMessage(err) }),
      )
      .finally(() => setOpening(false));
  };

  const label = `第${page.seq}页`;
  return (
    <figure className="page-thumb" aria-label={label} style={{ margin: 0, width: 96, textAlign: 'center' }}>
      {loaded && 'error' in loaded ? (
        <Alert type="error" title={loaded.error} role="alert" style={{ fontSize: 12, padding: 4 }} />
      ) : isPdf ? (
        <Button size="small" loading={opening} onClick={openPdf} aria-label={`下载${label} ${page.name}`}>
          <Tag color="blue" style={{ marginInlineEnd: 0 }}>
            PDF {(page.size / 1024 / 1024).toFixed(1)}MB
          </Tag>
        </Button>
      ) : !loaded ? (
        <Spin size="small" />
      ) : (
        <Image src={loaded.dataUrl} alt={`${label} ${page.name}`} width={96} height={72} style={{ objectFit: 'cover' }} />
      )}
      <figcaption className="muted" style={{ fontSize: 12 }}>
        {label}
        {page.supplement && <Tag color="orange">补充</Tag>}
        {onRemove && (
          <Popconfirm title="删除这一页？" okText="删除" cancelText="取消" onConfirm={onRemove}>
            <Button type="link" size="small" danger>
              删除
            </Button>
          </Popconfirm>
        )}
      </figcaption>
    </figure>
  );
}

/**
 * The pages of a case, per material and in order. The workbench passes `capture` (its capture buttons) and `onRemove`;
 * the review page and the case detail show the pages only.
 */
export function MaterialPages({
  caseId,
  materials,
  capture,
  removable = false,
}: {
  caseId: string;
  materials: readonly Material[];
  capture?: (material: Material, reload: () => void) => ReactNode;
  removable?: boolean;
}) {
  const [pages, setPages] = useState<PageView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    void client()
      .call('pages.list', { caseId })
      .then(setPages, (err: unknown) => setError(errorMessage(err)));
  }, [caseId]);
  useEffect(reload, [reload]);

  async function remove(pageId: string) {
    try {
      await client().call('pages.remove', { pageId });
      reload();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <div role="list" aria-label="材料影像" data-testid="material-pages">
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 8 }} />}
      {materials.map((m) => {
        const mine = pages.filter((p) => p.materialCode === m.code);
        return (
          <div key={m.code} role="listitem" aria-label={m.name} style={{ padding: '6px 0', borderBottom: '1px dashed #eee' }}>
            <Space style={{ justifyContent: 'space-between', width: '100%' }}>
              <Typography.Text>
                {m.name} <span className="muted">（{mine.length}页）</span>
              </Typography.Text>
              {capture?.(m, reload)}
            </Space>
            {mine.length > 0 && (
              <Image.PreviewGroup>
                <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginTop: 6 }}>
                  {mine.map((p) => (
                    <PageThumb key={p.id} page={p} onRemove={removable ? () => void remove(p.id) : undefined} />
                  ))}
                </div>
              </Image.PreviewGroup>
            )}
          </div>
        );
      })}
    </div>
  );
}
