/**
 * The monitoring assets of `infra/monitoring/` (docs/open-monitoring.md): the Grafana dashboards' queries and the
 * metric names they select, read with the Prometheus project's own PromQL parser (@prometheus-io/lezer-promql).
 * The dashboards are the one place the queries live; tests check them against the metrics that really exist.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';

/** `infra/monitoring/` of this checkout. */
export const MONITORING_DIR = join(__dirname, '..', '..', '..', 'infra', 'monitoring');
const GRAFANA_DIR = join(MONITORING_DIR, 'grafana');

/**
 * The metric names the dashboards read from the brokers' and controllers' exporters (the Prometheus JMX exporter with
 * its default naming, and the node exporter). An end-to-end test checks each against a real broker's exporters.
 */
export const BROKER_EXPORTER_METRICS: readonly string[] = [
  'kafka_server_BrokerTopicMetrics_Count',
  'kafka_server_ReplicaManager_Value',
  'kafka_controller_KafkaController_Value',
  'kafka_network_RequestMetrics_Mean',
  'node_cpu_seconds_total',
  'node_memory_MemTotal_bytes',
  'node_memory_MemAvailable_bytes',
  'node_memory_MemFree_bytes',
  'node_memory_Cached_bytes',
  'node_filesystem_size_bytes',
  'node_filesystem_avail_bytes',
  'node_filesystem_free_bytes',
];

/** Series Prometheus makes itself for every target (the dashboards' variables read `up`). */
export const PROMETHEUS_METRICS: readonly string[] = ['up'];

/** A Grafana dashboard JSON model, as far as these checks read it. */
export interface GrafanaDashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  templating: { list: { name: string; type: string; query?: unknown; datasource?: unknown }[] };
  panels: GrafanaPanel[];
  [k: string]: unknown;
}

/** One panel (or row) of a dashboard. */
export interface GrafanaPanel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: { refId: string; expr: string; datasource?: { type?: string; uid?: string } }[];
  panels?: GrafanaPanel[];
}

/** Every dashboard file of infra/monitoring/grafana, by file name, parsed. */
export function loadDashboards(): { file: string; dashboard: GrafanaDashboard }[] {
  return readdirSync(GRAFANA_DIR).filter((f) => f.endsWith('.json')).sort()
    .map((file) => ({ file, dashboard: JSON.parse(readFileSync(join(GRAFANA_DIR, file), 'utf8')) as GrafanaDashboard }));
}

/** Every panel, those inside collapsed rows too. */
export function allPanels(d: GrafanaDashboard): GrafanaPanel[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** Grafana's `label_values(<selector>, <label>)` variable query: the selector, a PromQL expression. */
const LABEL_VALUES = /^\s*label_values\(\s*(.+)\s*,\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)\s*$/s;

/**
 * Every PromQL query of every dashboard: each panel target's `expr`, and the series selector of each `label_values`
 * variable query (`panel` is then `variable <name>`).
 */
export function dashboardQueries(): { dashboard: string; panel: string; expr: string }[] {
  return loadDashboards().flatMap(({ dashboard: d }) => [
    ...d.templating.list.flatMap((v) => {
      const q = typeof v.query === 'string' ? v.query : (v.query as { query?: string } | undefined)?.query;
      const selector = v.type === 'query' && q ? LABEL_VALUES.exec(q)?.[1] : undefined;
      return selector ? [{ dashboard: d.uid, panel: `variable ${v.name}`, expr: selector }] : [];
    }),
    ...allPanels(d).flatMap((p) => (p.targets ?? []).map((t) => ({ dashboard: d.uid, panel: p.title, expr: t.expr }))),
  ]);
}

/** Grafana's interval variables as Prometheus would see them once Grafana substituted them. */
const GRAFANA_INTERVALS: [RegExp, string][] = [[/\$__rate_interval\b/g, '1m'], [/\$__interval\b/g, '30s'], [/\$__range\b/g, '1h']];

/** The PromQL Grafana sends for an expr (interval variables substituted; `$var` inside strings stays as it is). */
export function grafanaToPromql(expr: string): string {
  return GRAFANA_INTERVALS.reduce((e, [re, v]) => e.replace(re, v), expr);
}

/** Parses one query: the parser's error positions (none for valid PromQL) and the metric names its selectors name. */
export function parsePromql(expr: string): { errors: number[]; metricNames: string[] } {
  const promql = grafanaToPromql(expr);
  const errors: number[] = [];
  const names = new Set<string>();
  parser.parse(promql).iterate({
    enter(node) {
      if (node.type.isError) errors.push(node.from);
      if (node.name !== 'VectorSelector') return;
      const id = node.node.getChild('Identifier');
      if (id) {
        names.add(promql.slice(id.from, id.to));
        return;
      }
      // {__name__="x"}: the name is the matcher's; a selector without a fixed name cannot be checked.
      const m = /__name__\s*=\s*"([^"]+)"/.exec(promql.slice(node.from, node.to));
      if (m) names.add(m[1]);
      else errors.push(node.from);
    },
  });
  return { errors, metricNames: [...names].sort() };
}

/** Every metric name the dashboards' queries select, sorted. */
export function dashboardMetricNames(): string[] {
  return [...new Set(dashboardQueries().flatMap((q) => parsePromql(q.expr).metricNames))].sort();
}
