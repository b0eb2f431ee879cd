import { Alert, Button, Image, Popconfirm, Space, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { PageView } from '#shared/api/archive';
import { client } from '../app/client';
import { errorMessage } from '../app/errors';

interface Material {
  code: string;
  name: string;
}

/** One page: fetched (and verified by the core) on display; a page failing its hash shows the reason, not the picture. */
function PageThumb({ page, onRemove }: { page: PageView; onRemove?: () => void }) {
  const [loaded, setLoaded] = useState<{ dataUrl: string } | { error: string } | null>(null);
  useEffect(() => {
    let live = true;
    void client()
      .call('pages.get', { pageId: page.id })
      .then(
        (r) => live && setLoaded({ dataUrl: r.dataUrl }),
        (err: unknown) => live && setLoaded({ error: errorMessage(err) }),
      );
    return () => void (live = false);
  }, [page.id]);

  const label = `第${page.seq}页`;
  return (
    <figure className="page-thumb" aria-label={label} style={{ margin: 0, width: 96, textAlign: 'center' }}>
      {!loaded ? (
        <Spin size="small" />
      ) : 'error' in loaded ? (
        <Alert type="error" title={loaded.error} role="alert" style={{ fontSize: 12, padding: 4 }} />
      ) : page.mime === 'application/pdf' ? (
        <a href={loaded.dataUrl} download={page.name}>
          <Tag color="blue">PDF</Tag>
        </a>
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
