import { Alert } from 'antd';
import { useHallLink } from '../../../stores/hall-link';

/**
 * Says plainly when this counter's hall host is out of reach: calling waits for it, walk-ins are still served here and
 * handed to the host when it is back. Silent on a host and on a healthy link.
 */
export function HallLinkBanner() {
  const status = useHallLink((s) => s.status);
  if (!status || status.state === 'host') return null;
  const pending = status.pendingVisits > 0 ? `本机有 ${status.pendingVisits} 笔临时接待待交大厅主机。` : '';
  if (status.state === 'online') {
    return pending ? <Alert type="info" showIcon title={`已连接大厅主机，${pending}`} style={{ marginBottom: 8 }} /> : null;
  }
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      data-testid="hall-link-down"
      style={{ marginBottom: 8 }}
      title={status.state === 'connecting' ? '正在连接大厅主机…' : '大厅主机连接中断，暂时无法叫号'}
      description={`${status.error ?? ''}${status.error ? '。' : ''}仍可点“无号直接办理”临时接待群众（号码以 W 开头），恢复连接后自动交给大厅主机。${pending}`}
    />
  );
}
