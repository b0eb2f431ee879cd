import { Alert, Button, Modal, Spin, Switch } from 'antd';
import { useEffect, useState } from 'react';
import type { ResultOf } from '#shared/api/contract';
import type { PrintBlock } from '#shared/documents/print-document';
import { TICKET_KIND_LABELS } from '#shared/domain/queue/categories';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { DocumentPreview } from '../../components/DocumentPreview';
import { useHallSnapshot, type Pairing } from '../hall/device';

type Issued = ResultOf<'queue.issue'>;
/** The ticket stays on screen this long, then the kiosk is ready for the next person. */
const SHOW_TICKET_MS = 15_000;

/** 取号机: big buttons, one per category, and the ticket to take away. */
export function KioskPage({ pairing }: { pairing: Extract<Pairing, { state: 'paired' }> }) {
  const snapshot = useHallSnapshot(pairing);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** Taking the ticket with an ID or social security card links the visit to the person. */
  const [byCard, setByCard] = useState(false);

  useEffect(() => {
    if (!issued) return;
    const timer = setTimeout(() => setIssued(null), SHOW_TICKET_MS);
    return () => clearTimeout(timer);
  }, [issued]);

  async function take(categoryCode: string) {
    setBusy(true);
    setError(null);
    try {
      setIssued(await client().call(byCard ? 'queue.issueByCard' : 'queue.issue', { categoryCode }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div style={{ minHeight: '100vh', background: '#eef3fa', padding: 40, boxSizing: 'border-box' }}>
      <h1 style={{ textAlign: 'center', fontSize: 44, margin: '0 0 8px', color: '#1f5fae' }}>{pairing.stationName}</h1>
      <p style={{ textAlign: 'center', fontSize: 28, margin: '0 0 16px' }}>请选择您要办理的业务，取号后留意叫号屏和语音提示</p>
      <p style={{ textAlign: 'center', fontSize: 24, margin: '0 0 32px' }}>
        <Switch aria-label="刷卡取号" checked={byCard} onChange={setByCard} style={{ transform: 'scale(1.5)', marginRight: 20 }} />
        刷身份证或社保卡取号（办理时无需再次出示）
      </p>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ fontSize: 22, marginBottom: 24 }} />}
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))', gap: 28 }}>
        {snapshot?.categories.map((c) => (
          <Button
            key={c.code}
            type={c.kind === 'green' ? 'default' : 'primary'}
            disabled={!c.open || busy}
            onClick={() => void take(c.code)}
            style={{ height: 180, fontSize: 40, display: 'flex', flexDirection: 'column', gap: 8, whiteSpace: 'normal' }}
            aria-label={`取${c.name}号`}
          >
            <span>{c.name}</span>
            <span style={{ fontSize: 22 }}>
              {TICKET_KIND_LABELS[c.kind]} · 等候 {c.waiting} 人{c.open ? '' : ` · 取号时间${c.hours}`}
            </span>
          </Button>
        ))}
      </div>
      <Modal open={busy && byCard} footer={null} closable={false} title={<span style={{ fontSize: 28 }}>请刷卡</span>}>
        <div style={{ textAlign: 'center', fontSize: 26, padding: 24 }} role="status">
          <Spin size="large" style={{ display: 'block', marginBottom: 24 }} />
          请将身份证或社保卡放在读卡区
        </div>
      </Modal>
      <Modal
        open={issued !== null}
        onCancel={() => setIssued(null)}
        footer={
          <Button type="primary" size="large" onClick={() => setIssued(null)} style={{ fontSize: 24, height: 56 }}>
            完成
          </Button>
        }
        title={<span style={{ fontSize: 28 }}>取号成功</span>}
        width={560}
      >
        {issued && (
          <div style={{ textAlign: 'center', fontSize: 24 }} data-testid="kiosk-ticket">
            <div style={{ fontSize: 22 }}>{issued.ticket.categoryName}</div>
            <div style={{ fontSize: 96, fontWeight: 700, color: '#1f5fae' }} aria-label="您的号码">
              {issued.ticket.ticketNo}
            </div>
            <div>
              您前面还有 <b>{issued.ahead}</b> 人等候
            </div>
            <div style={{ color: '#666' }}>取号时间 {new Date(issued.ticket.issuedAt).toLocaleTimeString('zh-CN', { hour12: false })}</div>
            <div style={{ marginTop: 16, textAlign: 'left' }}>
              <DocumentPreview title={issued.document.title} blocks={issued.document.blocks as unknown as PrintBlock[]} />
            </div>
          </div>
        )}
      </Modal>
    </div>
  );
}
