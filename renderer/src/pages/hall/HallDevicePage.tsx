import { Alert, Spin } from 'antd';
import { DisplayPage } from '../display';
import { EvaluatorPage } from '../evaluator';
import { KioskPage } from '../kiosk';
import { useHallPairing, type HallDeviceParams } from './device';

/** A hall screen (kiosk, display, evaluator): no operator login, paired by its own device key instead. */
export function HallDevicePage({ device }: { device: HallDeviceParams }) {
  const pairing = useHallPairing(device);
  if (pairing.state === 'pairing') return <Spin fullscreen tip="正在连接大厅服务…" />;
  if (pairing.state === 'failed') {
    return (
      <div style={{ padding: 48 }}>
        <Alert type="error" showIcon title="设备配对失败" description={`${pairing.message}。请联系管理员在“大厅设备”页面获取配对地址。`} />
      </div>
    );
  }
  switch (device.kind) {
    case 'kiosk':
      return <KioskPage pairing={pairing} />;
    case 'display':
      return <DisplayPage pairing={pairing} />;
    case 'evaluator':
      return <EvaluatorPage pairing={pairing} windowNo={pairing.windowNo!} />;
  }
}
