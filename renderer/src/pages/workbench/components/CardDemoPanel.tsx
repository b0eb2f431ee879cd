import { Alert, Badge, Button, Card, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import type { ResultOf } from '#shared/api/contract';
import { CARD_KIND_LABELS, type ReaderView } from '#shared/api/devices';
import { client } from '../../../app/client';
import { errorMessage } from '../../../app/errors';
import { useDevices } from '../../../stores/devices';

type DemoHolder = ResultOf<'card.demoPeople'>[number];
type Simulate = { action: 'insert'; idNumber: string } | { action: 'remove' | 'garble' | 'unplug' | 'replug' };

const INSERT_LABELS = { social_security: ['插入社保卡', '取出社保卡'], resident_id: ['放置身份证', '移走身份证'] } as const;

/** Demo and training only (simulated readers): present a demo person's card, take it away, or make the reader fail. */
export function CardDemoPanel() {
  const overview = useDevices((s) => s.overview);
  const readers = overview?.readers.filter((r) => r.simulated) ?? [];
  const [people, setPeople] = useState<DemoHolder[]>([]);
  const [holder, setHolder] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const shown = readers.length > 0;

  useEffect(() => {
    if (!shown) return;
    void client()
      .call('card.demoPeople', {})
      .then(
        (list) => {
          setPeople(list);
          setHolder((current) => current ?? list[0]?.idNumber);
        },
        () => setPeople([]),
      );
  }, [shown]);

  if (!shown) return null;
  const person = people.find((p) => p.idNumber === holder);

  async function simulate(reader: ReaderView['kind'], command: Simulate) {
    setError(null);
    try {
      await client().call('card.simulate', { ...command, reader });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <Card title="演示读卡器" size="small" data-testid="card-demo" extra={<span className="muted">仅模拟设备</span>}>
      <Select
        aria-label="演示人员"
        style={{ width: '100%', marginBottom: 8 }}
        value={holder}
        onChange={setHolder}
        options={people.map((p) => ({
          value: p.idNumber,
          label: `${p.name}（${p.documentLabel}${p.socialSecurityGeneration ? `，社保卡${p.socialSecurityGeneration}.0` : '，无社保卡'}）`,
        }))}
      />
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 8 }} />}
      {readers.map((reader) => {
        const [insert, remove] = INSERT_LABELS[reader.kind];
        const connected = reader.state === 'connected';
        const noCard = reader.kind === 'social_security' && !person?.socialSecurityGeneration;
        return (
          <div key={reader.kind} style={{ marginBottom: 8 }} aria-label={`${CARD_KIND_LABELS[reader.kind]}读卡器演示`} role="group">
            <div>
              <Badge status={connected ? 'success' : 'default'} /> {reader.name} {connected ? '已连接' : '未连接'}
            </div>
            <Space wrap size="small" style={{ marginTop: 4 }}>
              <Button
                size="small"
                type="primary"
                disabled={!person || noCard}
                onClick={() => void simulate(reader.kind, { action: 'insert', idNumber: holder! })}
              >
                {insert}
              </Button>
              <Button size="small" onClick={() => void simulate(reader.kind, { action: 'remove' })}>
                {remove}
              </Button>
              <Button size="small" onClick={() => void simulate(reader.kind, { action: 'garble' })}>
                下次读卡乱码
              </Button>
              <Button size="small" onClick={() => void simulate(reader.kind, { action: connected ? 'unplug' : 'replug' })}>
                {connected ? '拔出读卡器' : '插回读卡器'}
              </Button>
            </Space>
          </div>
        );
      })}
    </Card>
  );
}
