import type { PrintBlock } from '#shared/documents/print-document';

/** Display width: a hanzi and other wide characters take two columns, like on the printer. */
function width(text: string): number {
  let w = 0;
  for (const ch of text)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u.test(ch)
      ? 2
      : 1;
  return w;
}

function Block({ block, columns }: { block: PrintBlock; columns: number }) {
  switch (block.type) {
    case 'text': {
      const s = block.style ?? {};
      const big = (s.width ?? 1) > 1 || (s.height ?? 1) > 1;
      return (
        <div
          style={{
            textAlign: s.align ?? 'left',
            fontWeight: s.bold ? 700 : 400,
            fontSize: big ? '1.6em' : undefined,
            whiteSpace: 'pre-wrap',
          }}
        >
          {block.text}
        </div>
      );
    }
    case 'row': {
      const gap = Math.max(1, columns - width(block.label) - width(block.value));
      return (
        <div style={{ fontWeight: block.bold ? 700 : 400, whiteSpace: 'pre-wrap' }}>
          {block.label}
          {' '.repeat(gap)}
          {block.value}
        </div>
      );
    }
    case 'separator':
      return <div>{(block.char ?? '-').repeat(columns)}</div>;
    case 'qr':
      return (
        <div style={{ textAlign: block.align ?? 'center' }} aria-label={`二维码 ${block.data}`}>
          <span className="qr-placeholder">▣ {block.data}</span>
        </div>
      );
    case 'feed':
      return <div style={{ height: `${block.lines * 1.4}em` }} />;
    case 'cut':
      return <div className="doc-cut">✂ ┄┄┄┄┄┄┄┄</div>;
  }
}

/** The on-screen preview of a counter document: the same model the thermal printer renders. */
export function DocumentPreview({ title, blocks, columns = 32 }: { title: string; blocks: PrintBlock[]; columns?: number }) {
  return (
    <figure className="doc-preview" aria-label={title} style={{ width: `${columns * 0.62 + 2}em` }}>
      {blocks.map((b, i) => (
        <Block key={i} block={b} columns={columns} />
      ))}
    </figure>
  );
}
