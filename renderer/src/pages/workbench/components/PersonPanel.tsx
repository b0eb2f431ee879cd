import { Alert, Button, Card, Descriptions, Empty, Form, Input, List, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { InputRef } from 'antd';
import type { EmployerSummary, HistoryEntry, PersonSummary } from '#shared/api/registry';
import { client } from '../../../app/client';
import { errorMessage } from '../../../app/errors';
import { useHotkeys } from '../../../hooks/useHotkeys';
import { useCounter } from '../../../stores/counter';
import { useDevices } from '../../../stores/devices';

const SEX = { male: '男', female: '女' } as const;

/** Always visible at the counter: find the person (or employer), see them, register them if new. */
export function PersonPanel({ historyKey }: { historyKey: unknown }) {
  const { person, employer, registration, setPerson, setEmployer, offerRegistration } = useCounter();
  const cardNotice = useDevices((s) => s.cardNotice);
  const reading = useDevices((s) => s.reading);
  const readCard = useDevices((s) => s.readCard);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<{ persons: PersonSummary[]; employers: EmployerSummary[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [registering, setRegistering] = useState(false);
  const [revealed, setRevealed] = useState<string | null>(null);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const searchRef = useRef<InputRef>(null);

  useHotkeys({ F1: () => void readCard(), F2: () => searchRef.current?.focus() });

  // A card of someone not yet registered opens the form with what the card says; taking the card away closes it.
  useEffect(() => {
    setRegistering(registration !== null);
    if (registration) setResults(null);
  }, [registration]);

  useEffect(() => {
    setRevealed(null);
    if (!person) return setHistory([]);
    void client()
      .call('person.history', { id: person.id })
      .then(setHistory, () => setHistory([]));
  }, [person, historyKey]);

  async function search(value: string) {
    setError(null);
    setRegistering(false);
    if (!value.trim()) return;
    try {
      const found = await client().call('registry.search', { query: value });
      setResults(found);
      if (found.persons.length === 1 && found.employers.length === 0) await pick(found.persons[0]!.id);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function pick(id: string) {
    setPerson(await client().call('person.get', { id }));
    setResults(null);
  }

  async function register(values: { idNumber: string; name: string; phone?: string; address?: string }) {
    setError(null);
    try {
      const created = await client().call('person.create', {
        idNumber: values.idNumber,
        name: values.name,
        ...(values.phone ? { phone: values.phone } : {}),
        ...(values.address ? { address: values.address } : {}),
      });
      // Registered from a card: taking the card out clears them, as for anyone read from a card.
      setPerson(created, registration ? 'card' : 'search');
      setRegistering(false);
      setResults(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function reveal() {
    if (!person) return;
    try {
      setRevealed((await client().call('person.reveal', { id: person.id })).idNumber);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <Card title="服务对象" size="small" extra={<span className="fkey">F1 读卡 · F2 查询</span>}>
      {cardNotice && (
        <Alert
          type={cardNotice.type}
          showIcon
          title={cardNotice.text}
          role={cardNotice.type === 'error' ? 'alert' : 'status'}
          data-testid="card-notice"
          style={{ marginBottom: 8 }}
          action={
            <Button size="small" loading={reading} onClick={() => void readCard()}>
              读卡 (F1)
            </Button>
          }
        />
      )}
      <Input.Search
        ref={searchRef}
        aria-label="查询参保人或单位"
        placeholder="身份证号、社保卡号、手机号、姓名或拼音首字母"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onSearch={(v) => void search(v)}
        enterButton="查询"
        allowClear
      />
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginTop: 8 }} />}
      {results && (
        <div style={{ marginTop: 8 }}>
          {results.persons.length + results.employers.length === 0 ? (
            <Empty description="未找到，可新登记" image={Empty.PRESENTED_IMAGE_SIMPLE}>
              <Button type="primary" onClick={() => setRegistering(true)}>
                新登记参保人
              </Button>
            </Empty>
          ) : (
            <List
              size="small"
              aria-label="查询结果"
              dataSource={[
                ...results.persons.map((p) => ({
                  key: p.id,
                  title: p.name,
                  sub: `${p.idNumberMasked} ${p.sex ? SEX[p.sex] : ''}`,
                  onClick: () => void pick(p.id),
                })),
                ...results.employers.map((e) => ({
                  key: e.id,
                  title: e.name,
                  sub: e.creditCode,
                  onClick: () => (setEmployer(e), setResults(null)),
                })),
              ]}
              renderItem={(r) => (
                <List.Item onClick={r.onClick} style={{ cursor: 'pointer' }}>
                  <List.Item.Meta title={r.title} description={r.sub} />
                </List.Item>
              )}
            />
          )}
        </div>
      )}
      {registering && (
        <Form
          key={registration ? `card-${registration.idNumber}` : 'search'}
          layout="vertical"
          size="small"
          style={{ marginTop: 12 }}
          onFinish={(v) => void register(v)}
          aria-label="新登记参保人"
        >
          <Form.Item
            label="证件号码"
            name="idNumber"
            rules={[{ required: true, message: '请输入证件号码' }]}
            initialValue={registration?.idNumber ?? query}
          >
            <Input />
          </Form.Item>
          <Form.Item label="姓名" name="name" rules={[{ required: true, message: '请输入姓名' }]} initialValue={registration?.name}>
            <Input />
          </Form.Item>
          <Form.Item label="联系电话" name="phone">
            <Input />
          </Form.Item>
          <Form.Item label="地址" name="address">
            <Input />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              登记
            </Button>
            <Button
              onClick={() => {
                setRegistering(false);
                offerRegistration(null);
              }}
            >
              取消
            </Button>
          </Space>
        </Form>
      )}
      {person && (
        <div style={{ marginTop: 12 }} data-testid="person-card">
          <Typography.Title level={4} style={{ margin: '4px 0' }}>
            {person.name}
          </Typography.Title>
          <Descriptions column={1} size="small">
            <Descriptions.Item label="证件号码">
              <Space>
                <span data-testid="person-id-number">{revealed ?? person.idNumberMasked}</span>
                {!revealed && (
                  <Button size="small" type="link" onClick={() => void reveal()} title="查看完整号码（将记入审计）">
                    显示
                  </Button>
                )}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label="性别/出生">
              {person.sex ? SEX[person.sex] : '—'} · {person.birthDate ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label="电话">{person.phoneMasked ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="社保卡">{person.cardNumber ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="单位">{person.employerName ?? '—'}</Descriptions.Item>
          </Descriptions>
          <Button size="small" onClick={() => setPerson(null)}>
            清除
          </Button>
          <Typography.Title level={5} style={{ marginTop: 12 }}>
            办理记录
          </Typography.Title>
          <List
            size="small"
            locale={{ emptyText: '暂无记录' }}
            dataSource={history}
            renderItem={(h) => (
              <List.Item>
                <List.Item.Meta title={h.title} description={`${new Date(h.at).toLocaleString('zh-CN')} · ${h.detail}`} />
              </List.Item>
            )}
          />
        </div>
      )}
      {employer && (
        <div style={{ marginTop: 12 }} data-testid="employer-card">
          <Typography.Text strong>{employer.name}</Typography.Text>
          <div className="muted">{employer.creditCode}</div>
          <Button size="small" onClick={() => setEmployer(null)}>
            清除单位
          </Button>
        </div>
      )}
    </Card>
  );
}
