import type { ThemeConfig } from 'antd';

/** Calm, high-contrast defaults for a screen read all day. */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1f5fae',
    fontSize: 15,
    borderRadius: 4,
    fontFamily: "'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif",
  },
};
