/**
 * One time-series plot drawn by uPlot on a canvas. uPlot builds its DOM with createElement and sets sizes through
 * element.style (CSSOM), never a style attribute or an inline <style>, so it runs under the console's
 * Content-Security-Policy (`style-src 'self'`); its stylesheet is bundled by Vite. The canvas is an image to
 * assistive technology (role="img" with a text summary); the legend and values around it are plain text.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatTick, formatValue, type ChartModel } from './model';

const HEIGHT = 240;
const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const LABEL_FONT = `600 ${FONT}`;
const AXIS_COLOR = '#444';
const GRID_COLOR = '#e4e4e4';

interface Props {
  model: ChartModel;
  /** The window drawn, epoch seconds. */
  from: number;
  to: number;
  summary: string;
}

function options(model: ChartModel, from: number, to: number, width: number): uPlot.Options {
  const { kind, yLabel } = model.spec;
  return {
    width,
    height: HEIGHT,
    legend: { show: false }, // the figure's own legend, with latest values, is text beside the plot
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    scales: {
      x: { time: true, range: () => [from, to] },
      y: {
        range: (_u, _min, max) => (kind === 'percent' ? [0, 100] : [0, max > 0 ? max * 1.1 : 1]),
      },
    },
    series: [
      {},
      ...model.lines.map((l) => ({
        label: l.label,
        stroke: l.color,
        width: l.total ? 2.5 : 1.5,
        dash: l.total ? [6, 4] : undefined,
        // Few datapoints (a new cluster) read better as dots on the line.
        points: { show: model.xs.length <= 30, size: 5 },
        spanGaps: false,
      })),
    ],
    axes: [
      {
        label: 'Time (local), last hour', labelFont: LABEL_FONT, font: FONT, stroke: AXIS_COLOR,
        grid: { stroke: GRID_COLOR, width: 1 }, ticks: { stroke: GRID_COLOR, width: 1 },
      },
      {
        label: yLabel, labelFont: LABEL_FONT, font: FONT, stroke: AXIS_COLOR, size: 60,
        values: (_u, splits) => splits.map((v) => formatTick(v, kind)),
        grid: { stroke: GRID_COLOR, width: 1 }, ticks: { stroke: GRID_COLOR, width: 1 },
      },
    ],
  };
}

export function LineChart({ model, from, to, summary }: Props) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const data: uPlot.AlignedData = [model.xs, ...model.lines.map((l) => l.values)];
    const width = () => Math.max(280, Math.floor(el.clientWidth));
    // Rebuilt on each read (every 15 s): cheap, and the series set may have changed.
    const plot = new uPlot(options(model, from, to, width()), data, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: HEIGHT }));
    resize.observe(el);
    return () => { resize.disconnect(); plot.destroy(); };
  }, [model, from, to]);

  return <div className="chart-plot" ref={box} role="img" aria-label={summary} />;
}

/** "Bytes in per second: line chart over the last hour, vertical axis Bytes per second (B/s); Total 1.2 kB/s, ..." */
export function describe(model: ChartModel): string {
  const values = model.lines.map((l) => `${l.label} ${l.latest === undefined ? 'no data' : formatValue(l.latest, model.spec.kind)}`);
  return `${model.spec.title}: line chart over the last hour; horizontal axis time, vertical axis ${model.spec.yLabel}. Latest: ${values.join(', ')}.`;
}
