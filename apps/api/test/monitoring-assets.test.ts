/**
 * infra/monitoring/: every Grafana dashboard is a dashboard model Grafana imports as it is, every query is PromQL the
 * Prometheus project's parser reads without an error, and every metric a query selects exists: openmsk's own (read
 * from the API's and the worker's real prom-client registries) or a broker exporter's (BROKER_EXPORTER_METRICS,
 * which the end-to-end test checks against real exporters). And the Prometheus example discovers the exporters.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { loadConfig } from '@openmsk/config';
import type { Db } from '@openmsk/db';
import { apiMetrics } from '../src/metrics';
import {
  BROKER_EXPORTER_METRICS, MONITORING_DIR, PROMETHEUS_METRICS, allPanels, dashboardMetricNames, dashboardQueries,
  loadDashboards, parsePromql,
} from '../src/monitoring-assets';
import { PROMETHEUS_TARGETS_PATH } from '../src/prometheus-sd';
import { workerMetrics } from '../../worker/src/metrics';

/** The series names a registry exposes: a histogram's _bucket, _sum and _count, a summary's _sum and _count. */
function seriesNames(registry: Registry): string[] {
  return registry.getMetricsAsArray().flatMap((m) => {
    const type = String(m.type);
    if (type === 'histogram') return [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`];
    if (type === 'summary') return [m.name, `${m.name}_sum`, `${m.name}_count`];
    return [m.name];
  });
}

// The API's registry reads Postgres only when scraped (openmsk_clusters); only its names are read here, so no
// database is given.
const CONTROL_PLANE = new Set([...seriesNames(apiMetrics(undefined as unknown as Db).registry), ...seriesNames(workerMetrics().registry)]);
const DATASOURCE_UID = '${datasource}';

const dashboards = loadDashboards();

test('the dashboards are kafka-brokers and openmsk-control-plane, with distinct uids', () => {
  expect(dashboards.map((d) => d.file)).toEqual(['kafka-brokers.json', 'openmsk-control-plane.json']);
  expect(new Set(dashboards.map((d) => d.dashboard.uid)).size).toBe(dashboards.length);
});

describe.each(dashboards.map((d) => [d.file, d.dashboard] as const))('%s', (file, d) => {
  test('is a Grafana dashboard model: uid, title, schemaVersion, a Prometheus datasource variable', () => {
    expect(d.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
    expect(d.title.length).toBeGreaterThan(0);
    expect(d.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(d.schemaVersion).toBeLessThanOrEqual(41);
    expect(d.templating.list.find((v) => v.name === 'datasource')).toMatchObject({ type: 'datasource', query: 'prometheus' });
    // Query variables read through the same datasource variable.
    for (const v of d.templating.list.filter((x) => x.type === 'query')) expect(v.datasource).toEqual({ type: 'prometheus', uid: DATASOURCE_UID });
    if (file === 'kafka-brokers.json') {
      expect(d.templating.list.find((v) => v.name === 'cluster_name')).toMatchObject({ type: 'query', query: { query: expect.stringMatching(/^label_values\(.*, cluster_name\)$/) } });
    }
  });

  test('every panel has a unique id and a place on the 24-column grid; every non-row panel a datasource and targets', () => {
    const panels = allPanels(d);
    expect(panels.length).toBeGreaterThan(5);
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (const p of panels) {
      const { x, y, w, h } = p.gridPos;
      expect({ title: p.title, ok: [x, y, w, h].every(Number.isInteger) && x >= 0 && y >= 0 && w >= 1 && h >= 1 && x + w <= 24 }).toEqual({ title: p.title, ok: true });
      if (p.type === 'row') continue;
      expect({ title: p.title, datasource: p.datasource }).toEqual({ title: p.title, datasource: { type: 'prometheus', uid: DATASOURCE_UID } });
      expect(p.targets?.length).toBeGreaterThan(0);
      const refIds = p.targets!.map((t) => t.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
      for (const t of p.targets!) {
        expect(t.refId).toMatch(/^[A-Z]$/);
        expect(typeof t.expr === 'string' && t.expr.length > 0).toBe(true);
        expect(t.datasource).toEqual({ type: 'prometheus', uid: DATASOURCE_UID });
      }
    }
    // No two panels overlap.
    const cells = new Set<string>();
    for (const { gridPos: g, title } of panels) {
      for (let x = g.x; x < g.x + g.w; x++) for (let y = g.y; y < g.y + g.h; y++) {
        expect({ title, cell: `${x},${y}`, taken: cells.has(`${x},${y}`) }).toEqual({ title, cell: `${x},${y}`, taken: false });
        cells.add(`${x},${y}`);
      }
    }
  });
});

test('every query parses as PromQL without an error node and selects at least one named metric', () => {
  const queries = dashboardQueries();
  expect(queries.length).toBeGreaterThan(20);
  for (const q of queries) {
    const parsed = parsePromql(q.expr);
    expect({ ...q, errors: parsed.errors }).toEqual({ ...q, errors: [] });
    expect(parsed.metricNames.length).toBeGreaterThan(0);
  }
});

test('the parser finds errors and names (so a pass above means something)', () => {
  expect(parsePromql('sum(rate(foo_total{a="b"}[5m])').errors.length).toBeGreaterThan(0);
  expect(parsePromql('rate(foo[5x])').errors.length).toBeGreaterThan(0);
  expect(parsePromql('{__name__=~"foo.*"}').errors.length).toBeGreaterThan(0);
  expect(parsePromql('a / on(instance) b{x=~"$cluster_name"} + rate({__name__="c"}[$__rate_interval])')).toEqual({ errors: [], metricNames: ['a', 'b', 'c'] });
});

test("every metric a dashboard selects is openmsk's own, a broker exporter's (BROKER_EXPORTER_METRICS) or Prometheus' up", () => {
  const names = dashboardMetricNames();
  const known = new Set([...CONTROL_PLANE, ...BROKER_EXPORTER_METRICS, ...PROMETHEUS_METRICS]);
  expect(names.filter((n) => !known.has(n))).toEqual([]);
  // Both dashboards are covered: the control plane's requests and jobs, and every listed exporter metric is used.
  expect(names).toEqual(expect.arrayContaining(['openmsk_api_requests_total', 'openmsk_worker_jobs_total', 'openmsk_clusters', 'openmsk_worker_queue_jobs']));
  expect(BROKER_EXPORTER_METRICS.filter((n) => !names.includes(n))).toEqual([]);
  // No control-plane name is listed as an exporter's.
  expect(BROKER_EXPORTER_METRICS.filter((n) => CONTROL_PLANE.has(n))).toEqual([]);
});

// No YAML parser is a dependency of the repo, so the example is checked as text.
test('prometheus.yml discovers the exporters through the targets endpoint, with basic_auth placeholders, and scrapes the API and the worker', () => {
  const yml = readFileSync(join(MONITORING_DIR, 'prometheus.yml'), 'utf8');
  const defaults = loadConfig({});
  expect(yml).toMatch(/^\s*http_sd_configs:\s*$/m);
  expect(yml).toContain(`- url: http://127.0.0.1:${defaults.PORT}${PROMETHEUS_TARGETS_PATH}\n`);
  expect(yml).toMatch(/^\s*refresh_interval: \d+[smh]\s*$/m);
  expect(yml).toMatch(/^\s*basic_auth:\s*\n\s*username: REPLACE_WITH_ACCESS_KEY_ID\s*\n\s*password: REPLACE_WITH_SECRET_ACCESS_KEY\s*$/m);
  expect(yml).toMatch(/- source_labels: \[exporter\]\s*\n\s*target_label: job\s*$/m);
  expect(yml).toContain(`- targets: ['127.0.0.1:${defaults.PORT}']`);
  expect(yml).toContain(`- targets: ['127.0.0.1:${defaults.OPENMSK_WORKER_METRICS_PORT}']`);
  expect(yml).not.toMatch(/\t/);
});
