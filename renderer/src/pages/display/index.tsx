import { useEffect, useMemo, useRef, useState } from 'react';
import type { CoreEvent } from '#shared/api/events';
import { announcementText } from '#shared/domain/queue/announce';
import { client } from '../../app/client';
import { useHallSnapshot, type Pairing } from '../hall/device';
import { createAnnouncer, speakWithClips } from './announcer';

type Called = Extract<CoreEvent, { type: 'queue.called' }>;

const panel = { background: '#0d2d57', borderRadius: 12, padding: 24 } as const;

/** 叫号屏: who is called to which window, the latest calls, who waits, which windows are paused; spoken aloud. */
export function DisplayPage({ pairing }: { pairing: Extract<Pairing, { state: 'paired' }> }) {
  const snapshot = useHallSnapshot(pairing);
  const [latest, setLatest] = useState<Called | null>(null);
  const voice = useRef({ chime: true, repeat: 2 });
  // Browsers play sound only after a gesture on the page: one click when the screen is set up.
  const [soundOn, setSoundOn] = useState(false);
  const sound = useRef(false);
  const announcer = useMemo(() => createAnnouncer(speakWithClips), []);
  useEffect(() => {
    if (snapshot) voice.current = snapshot.voice;
  }, [snapshot]);

  useEffect(
    () =>
      client().onEvent((e) => {
        if (e.type !== 'queue.called') return;
        setLatest(e);
        if (sound.current) void announcer.announce({ ticketNo: e.ticketNo, windowNo: e.windowNo, recall: e.recall }, voice.current);
      }),
    [announcer],
  );

  const paused = snapshot?.windows.filter((w) => w.paused) ?? [];
  return (
    <div style={{ minHeight: '100vh', background: '#06224a', color: '#fff', padding: 32, boxSizing: 'border-box', fontSize: 28 }}>
      <header style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline', marginBottom: 24 }}>
        <h1 style={{ color: '#ffd666', fontSize: 48, margin: 0 }}>{pairing.stationName}</h1>
        <span>
          {!soundOn && (
            <button
              type="button"
              onClick={() => {
                sound.current = true;
                setSoundOn(true);
              }}
              style={{ fontSize: 20, marginRight: 16 }}
            >
              点击启用语音播报
            </button>
          )}
          {snapshot?.businessDate}
        </span>
      </header>
      <div
        role="status"
        aria-label="最新呼叫"
        style={{ ...panel, textAlign: 'center', fontSize: 64, fontWeight: 700, color: '#ffd666', marginBottom: 24, minHeight: 90 }}
      >
        {latest ? announcementText(latest) : '欢迎光临，请取号等候'}
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: '2fr 1fr', gap: 24 }}>
        <section style={panel} aria-label="当前叫号">
          <h2 style={{ color: '#fff', marginTop: 0 }}>当前叫号</h2>
          <table style={{ width: '100%', fontSize: 48, borderCollapse: 'collapse' }}>
            <tbody>
              {snapshot?.current.map((c) => (
                <tr key={c.windowNo} data-testid={`display-window-${c.windowNo}`}>
                  <td style={{ color: '#ffd666', fontWeight: 700 }}>{c.ticketNo}</td>
                  <td>{c.personName ?? ''}</td>
                  <td>请到 {c.windowNo} 号窗口</td>
                  <td style={{ fontSize: 28 }}>{c.status === 'serving' ? '办理中' : '请前往'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {snapshot?.current.length === 0 && <p>暂无叫号</p>}
        </section>
        <section style={panel} aria-label="最近呼叫">
          <h2 style={{ color: '#fff', marginTop: 0 }}>最近呼叫</h2>
          <ol style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {snapshot?.recent.map((r, i) => (
              <li key={`${r.at}-${i}`}>
                {r.ticketNo} → {r.windowNo}号窗口{r.recall ? '（重呼）' : ''}
              </li>
            ))}
          </ol>
        </section>
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: '2fr 1fr', gap: 24, marginTop: 24 }}>
        <section style={panel} aria-label="等候人数">
          <h2 style={{ color: '#fff', marginTop: 0 }}>等候人数</h2>
          <div style={{ display: 'flex', gap: 32, flexWrap: 'wrap' }}>
            {snapshot?.categories.map((c) => (
              <span key={c.code} data-testid={`waiting-${c.code}`}>
                {c.name}（{c.code}）：{c.waiting} 人
              </span>
            ))}
          </div>
        </section>
        <section style={panel} aria-label="暂停服务">
          <h2 style={{ color: '#fff', marginTop: 0 }}>暂停服务窗口</h2>
          {paused.length === 0 ? (
            <p>无</p>
          ) : (
            paused.map((w) => (
              <div key={w.windowNo} data-testid={`paused-${w.windowNo}`}>
                {w.windowNo}号窗口暂停服务：{w.reason}
              </div>
            ))
          )}
        </section>
      </div>
    </div>
  );
}
