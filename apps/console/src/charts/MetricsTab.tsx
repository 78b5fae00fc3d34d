/**
 * A cluster's Metrics tab: charts of what the worker's collector stored (docs/cloudwatch.md), read through openmsk's
 * CloudWatch-compatible API like any CloudWatch client would: ListMetrics to find the cluster's series, GetMetricData
 * for the last hour in one-minute periods. Re-read every 15 s (or on "Refresh"). Each chart is a
 * `<figure data-metric="<MetricName>">` whose figcaption carries the title and the headline value, as text and as the
 * number in `[data-latest]` (absent, with "No data yet", while the metric has no datapoint in the hour).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api';
import type { TabProps } from '../cluster/types';
import { describe, LineChart } from './LineChart';
import { attributeValue, formatValue, loadCharts, PERIOD_SECONDS, WINDOW_SECONDS, type ChartModel, type Line } from './model';

/** How often the tab re-reads the metrics. */
export const METRICS_REFRESH_MS = 15_000;
/** The collector's default interval (OPENMSK_METRICS_INTERVAL_SECONDS); the console cannot read the worker's setting. */
const DEFAULT_INTERVAL_SECONDS = 60;

const clock = (epochSeconds: number) => new Date(epochSeconds * 1000).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

function Swatch({ line }: { line: Line }) {
  // SVG presentation attributes, not style attributes: allowed by the Content-Security-Policy.
  return (
    <svg className="chart-swatch" viewBox="0 0 24 10" width="24" height="10" aria-hidden="true" focusable="false">
      <line x1="0" y1="5" x2="24" y2="5" stroke={line.color} strokeWidth={line.total ? 3 : 2} strokeDasharray={line.total ? '6 4' : undefined} />
    </svg>
  );
}

function Chart({ model, from, to }: { model: ChartModel; from: number; to: number }) {
  const { spec, latest, latestAt } = model;
  const titleId = `chart-${spec.metric}-title`;
  const headline = spec.summary === 'sum' ? (spec.per === 'broker' ? 'Total of all brokers' : 'Total lag') : 'Fullest broker';
  return (
    <figure className="chart" data-metric={spec.metric} aria-labelledby={titleId}>
      <figcaption>
        <h3 id={titleId} className="chart-title">{spec.title}</h3>
        {latest === undefined
          ? <p className="chart-latest chart-empty">No data yet</p>
          : (
            <p className="chart-latest">
              {headline}: <strong data-latest={attributeValue(latest)}>{formatValue(latest, spec.kind)}</strong>
              {latestAt !== undefined && <span className="help"> at {clock(latestAt)}</span>}
            </p>
          )}
        <p className="help">{spec.description}</p>
      </figcaption>
      {model.xs.length > 0
        ? <LineChart model={model} from={from} to={to} summary={describe(model)} />
        : <div className="chart-plot chart-none"><p>No datapoints for {spec.metric} in the last hour.</p></div>}
      {model.lines.length > 0 && (
        <ul className="chart-legend" aria-label={`${spec.title}: series and latest values`}>
          {model.lines.map((l) => (
            <li key={l.label} data-series={l.label} data-value={l.latest === undefined ? undefined : attributeValue(l.latest)}>
              <Swatch line={l} />
              <span className="chart-series">{l.label}</span>
              <span className="chart-value">{l.latest === undefined ? '—' : formatValue(l.latest, spec.kind)}</span>
            </li>
          ))}
        </ul>
      )}
      {model.hidden > 0 && <p className="help">…and {model.hidden} more series, not drawn, counted in the total.</p>}
    </figure>
  );
}

export function MetricsTab({ token, cluster, onError }: TabProps) {
  const clusterName = cluster.clusterName;
  const [models, setModels] = useState<ChartModel[] | undefined>();
  const [range, setRange] = useState<{ from: number; to: number } | undefined>();
  const [updated, setUpdated] = useState<Date | undefined>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [auto, setAuto] = useState(true);
  /** The latest read's number: an older read answering late, or one after unmount, is dropped. */
  const seq = useRef(0);
  /** Set when an error ended the session: nothing more is read. */
  const ended = useRef(false);

  const load = useCallback(async () => {
    if (ended.current) return;
    const mine = ++seq.current;
    setLoading(true);
    const now = Math.floor(Date.now() / 1000);
    try {
      const read = await loadCharts(token, clusterName, now);
      if (mine !== seq.current) return;
      setModels(read);
      setRange({ from: now - WINDOW_SECONDS, to: now });
      setUpdated(new Date());
      setError(undefined);
    } catch (e) {
      if (mine !== seq.current) return;
      if (onError(e)) { ended.current = true; return; }
      const what = e instanceof ApiError ? `${e.type}: ${e.message}` : (e as Error).message;
      setError(`Reading the metrics failed (${what}). The charts show the last read.`);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [token, clusterName, onError]);

  // Another cluster's charts never stay on screen while this one's load.
  useEffect(() => { setModels(undefined); setRange(undefined); }, [clusterName]);
  useEffect(() => {
    void load();
    return () => { seq.current++; };
  }, [load]);
  useEffect(() => {
    if (!auto) return;
    const timer = setInterval(() => { void load(); }, METRICS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [auto, load]);

  const status = loading && !models ? 'Loading…'
    : `${updated ? `Updated ${updated.toLocaleTimeString()}` : 'Not read yet'}${loading ? '; refreshing…' : ''}. `
      + `Last hour, one value per ${PERIOD_SECONDS / 60} minute.`;

  return (
    <section className="metrics" aria-labelledby="metrics-title">
      <div className="metrics-bar">
        <h2 id="metrics-title">Metrics</h2>
        <button type="button" className="secondary" onClick={() => { void load(); }}>Refresh</button>
        <div className="check">
          <input type="checkbox" id="metrics-auto" checked={auto} onChange={(e) => setAuto(e.target.checked)} />
          <label htmlFor="metrics-auto">Refresh every {METRICS_REFRESH_MS / 1000} s</label>
        </div>
      </div>
      <p className="help" id="metrics-status">{status}</p>
      {error && <p className="error" role="alert">{error}</p>}
      {models && range && (
        <div className="charts" data-updated={updated?.toISOString()}>
          {models.map((m) => <Chart key={m.spec.metric} model={m} from={range.from} to={range.to} />)}
        </div>
      )}
      <p className="footnote" id="metrics-source">
        Collected every {DEFAULT_INTERVAL_SECONDS} s by the worker (OPENMSK_METRICS_INTERVAL_SECONDS: 60 unless the
        worker is set otherwise, 0 turns collection off), at the cluster's monitoring level, and read here through openmsk's CloudWatch API (namespace AWS/Kafka):
        rates are averaged and counts take their maximum over each minute. A broker's rates appear from its second
        collection on. Times are in this browser's time zone.
      </p>
    </section>
  );
}
