import { Alert } from 'antd';

/** The outcome of the last action on a page or card. */
export interface StatusMessage {
  type: 'success' | 'error';
  text: string;
}

/** Shows a StatusMessage above what it concerns: a failure is announced at once (alert), a success politely (status). */
export function StatusAlert({ message }: { message: StatusMessage | null }) {
  if (!message) return null;
  return (
    <Alert
      type={message.type}
      showIcon
      title={message.text}
      role={message.type === 'error' ? 'alert' : 'status'}
      style={{ marginBottom: 12 }}
    />
  );
}
