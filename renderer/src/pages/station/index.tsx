import { Alert, Button, Card, Descriptions, Input, InputNumber, Popconfirm, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { Station } from '#shared/api/station';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';
import { useSession } from '../../stores/session';
import { ArchiveSettingsCards } from './ArchiveSettings';
import { StatusAlert } from '../../components/StatusAlert';

/**
 * 站点设置 (admin): the station's name, its counter windows, the idle lock and the archive settings. Each change is its
 * own audited command; the code and region come from enrolment with the central office and are shown only.
 */
export function StationPage() {
  const [station, setStation] = useState<Station | null>(null);
  const [name, setName] = useState('');
  const [newWindow, setNewWindow] = useState<number | null>(null);
  const [idleLock, setIdleLock] = useState<number | null>(null);
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string } | null>(null);

  const show = (s: Station) => {
    setStation(s);
    setName(s.name);
    setIdleLock(s.idleLockMinutes);
    // The header, login page and window choices read the station from the session store.
    useSession.setState({ station: s });
  };

  useEffect(() => {
    client()
      .call('station.get', {})
      .then(show, (err: unknown) => setMessage({ type: 'error', text: errorMessage(err) }));
  }, []);

  /** Runs one change and shows its outcome; true when it was saved. */
  async function change(call: () => Promise<Station>, done: string): Promise<boolean> {
    setMessage(null);
    try {
      show(await call());
      setMessage({ type: 'success', text: done });
      return true;
    } catch (err) {
      setMessage({ type: 'error', text: errorMessage(err) });
      return false;
    }
  }

  if (!station) return message ? <Alert type="error" showIcon title={message.text} role="alert" /> : null;

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>
        站点设置
      </Typography.Title>
      <StatusAlert message={message} />
      <Card title="站点" size="small">
        <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
          <Descriptions.Item label="站点编码">{station.code}</Descriptions.Item>
          <Descriptions.Item label="行政区划">{station.regionCode}</Descriptions.Item>
        </Descriptions>
        <Space>
          <span>站点名称</span>
          <Input aria-label="站点名称" style={{ width: 320 }} value={name} onChange={(e) => setName(e.target.value)} maxLength={40} />
          <Button
            disabled={name.trim() === station.name}
            onClick={() => void change(() => client().call('station.rename', { name }), '站点名称已保存')}
          >
            保存名称
          </Button>
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          站点编码和行政区划由中心在本机注册时确定，不能在此修改。
        </Typography.Paragraph>
      </Card>
      <Card title="窗口" size="small">
        <Space wrap style={{ marginBottom: 12 }} aria-label="窗口列表">
          {station.windows.map((w) => (
            <Space.Compact key={w}>
              <Tag style={{ margin: 0, lineHeight: '22px' }}>{w}号窗口</Tag>
              <Popconfirm
                title={`删除${w}号窗口？`}
                onConfirm={() => void change(() => client().call('station.removeWindow', { windowNo: w }), `已删除${w}号窗口`)}
              >
                <Button size="small" danger aria-label={`删除${w}号窗口`}>
                  删除
                </Button>
              </Popconfirm>
            </Space.Compact>
          ))}
        </Space>
        <Space>
          <span>新窗口号</span>
          <InputNumber aria-label="新窗口号" min={1} max={99} precision={0} value={newWindow} onChange={setNewWindow} />
          <Button
            disabled={newWindow === null}
            onClick={() =>
              newWindow !== null &&
              void change(() => client().call('station.addWindow', { windowNo: newWindow }), `已添加${newWindow}号窗口`).then(
                (saved) => saved && setNewWindow(null),
              )
            }
          >
            添加窗口
          </Button>
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          号类或大厅设备还在使用的窗口不能删除：请先在 <Link to="/hall/settings">叫号设置</Link> 中把号类改到其他窗口，在{' '}
          <Link to="/hall/devices">大厅设备</Link> 中停用该窗口的评价器和窗口终端。
        </Typography.Paragraph>
      </Card>
      <Card title="自动锁屏" size="small">
        <Space>
          <span>无操作</span>
          <InputNumber aria-label="锁屏时间" min={1} max={120} precision={0} value={idleLock} onChange={setIdleLock} />
          <span>分钟后锁屏</span>
          <Button
            disabled={idleLock === null || idleLock === station.idleLockMinutes}
            onClick={() =>
              idleLock !== null && void change(() => client().call('station.setIdleLock', { idleLockMinutes: idleLock }), '锁屏时间已保存')
            }
          >
            保存
          </Button>
        </Space>
      </Card>
      <ArchiveSettingsCards />
      <Typography.Text type="secondary">
        备份目录与备份周期在 <Link to="/backup">数据备份</Link> 页设置。
      </Typography.Text>
    </Space>
  );
}
