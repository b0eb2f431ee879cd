import { Alert, Button, Checkbox } from 'antd';
import { useEffect, useState } from 'react';
import type { EvaluationRequest } from '#shared/api/queue';
import {
  RATING_DIMENSIONS,
  RATING_DIMENSION_LABELS,
  RATING_LABELS,
  RATING_LEVELS,
  type RatingDimension,
  type RatingLevel,
} from '#shared/domain/queue/rating';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import type { Pairing } from '../hall/device';

const LEVEL_COLORS: Readonly<Record<RatingLevel, string>> = {
  very_satisfied: '#389e0d',
  satisfied: '#7cb305',
  basically_satisfied: '#d4b106',
  dissatisfied: '#d46b08',
  very_dissatisfied: '#cf1322',
};
/** The thank-you stays this long before the evaluator waits for the next visit. */
const THANKS_MS = 8_000;

/** 评价器: the citizen rates the visit that just ended at this window; staff cannot rate from here. */
export function EvaluatorPage({ pairing, windowNo }: { pairing: Extract<Pairing, { state: 'paired' }>; windowNo: number }) {
  const [request, setRequest] = useState<EvaluationRequest | null>(null);
  const [dimensions, setDimensions] = useState<RatingDimension[]>([]);
  const [thanks, setThanks] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void client()
      .call('rating.pending', {})
      .then(setRequest, (err: unknown) => setError(errorMessage(err)));
    return client().onEvent((e) => {
      if (e.type === 'evaluation.requested' && e.windowNo === windowNo) {
        setRequest(e.request);
        setDimensions([]);
        if (e.request) setThanks(false);
      }
    });
  }, [pairing.generation, windowNo]);

  useEffect(() => {
    if (!thanks) return;
    const timer = setTimeout(() => setThanks(false), THANKS_MS);
    return () => clearTimeout(timer);
  }, [thanks]);

  async function rate(level: RatingLevel) {
    if (!request) return;
    setError(null);
    try {
      await client().call('rating.submit', { ticketId: request.ticketId, level, dimensions });
      setRequest(null);
      setThanks(true);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <div style={{ minHeight: '100vh', background: '#f6f8fb', padding: 40, boxSizing: 'border-box', textAlign: 'center' }}>
      <h1 style={{ fontSize: 36, color: '#1f5fae' }}>
        {pairing.stationName} · {windowNo}号窗口
      </h1>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ fontSize: 20, marginBottom: 16 }} />}
      {thanks && <p style={{ fontSize: 44 }}>感谢您的评价！</p>}
      {!thanks && !request && <p style={{ fontSize: 36, color: '#666' }}>欢迎您，办理完毕后请对我们的服务进行评价</p>}
      {request && (
        <section aria-label="服务评价">
          <p style={{ fontSize: 32 }}>
            请对本次服务（{request.ticketNo}号，经办人 {request.operatorName}）进行评价
          </p>
          <div style={{ display: 'flex', gap: 20, justifyContent: 'center', flexWrap: 'wrap', margin: '24px 0' }}>
            {RATING_LEVELS.map((level) => (
              <Button
                key={level}
                onClick={() => void rate(level)}
                style={{ height: 120, width: 200, fontSize: 30, background: LEVEL_COLORS[level], color: '#fff', border: 'none' }}
              >
                {RATING_LABELS[level]}
              </Button>
            ))}
          </div>
          <div style={{ fontSize: 22 }}>
            评价原因（可选）：
            <Checkbox.Group
              value={dimensions}
              onChange={(v) => setDimensions(v as RatingDimension[])}
              options={RATING_DIMENSIONS.map((d) => ({
                value: d,
                label: <span style={{ fontSize: 22 }}>{RATING_DIMENSION_LABELS[d]}</span>,
              }))}
            />
          </div>
        </section>
      )}
    </div>
  );
}
