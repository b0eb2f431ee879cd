import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the statistics page draws is registered, so the bundle carries no other chart type.
echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/** The series a chart holds, as written to its data-series attribute. */
interface ChartSeries {
  name: string;
  data: unknown[];
}

/**
 * One ECharts chart that follows its option and the size of its box. The series the chart actually holds are also
 * written to `data-series`, so a test (or a support person) can read what is drawn without decoding canvas pixels.
 */
export function EChart({ option, label, height = 280 }: { option: ChartOption; label: string; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = box.current!;
    const c = echarts.init(el, null, { renderer: 'canvas', locale: 'ZH' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const c = chart.current!;
    c.setOption(option, { notMerge: true });
    const series = (c.getOption().series ?? []) as { name?: string; data?: unknown[] }[];
    box.current!.dataset.series = JSON.stringify(series.map((s): ChartSeries => ({ name: s.name ?? '', data: s.data ?? [] })));
  }, [option]);

  return <div ref={box} role="img" aria-label={label} style={{ width: '100%', height }} />;
}
