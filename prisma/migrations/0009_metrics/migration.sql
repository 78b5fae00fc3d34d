-- CloudWatch-compatible metrics (namespace AWS/Kafka; apps/api/src/cloudwatch, packages/db/src/metrics.ts).
-- One row per metric (namespace, name and dimension set) in metric_series, so ListMetrics reads series, not datapoints,
-- and a datapoint row is a series id, a time, a value and a unit. dimension_key is the canonical form of the dimension
-- set (JSON of [name, value] pairs sorted by name), which makes CloudWatch's exact dimension match an equality.
CREATE TABLE "metric_series" (
    "id" BIGSERIAL NOT NULL,
    "account_id" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "metric_name" TEXT NOT NULL,
    "dimension_key" TEXT NOT NULL,
    "dimensions" JSONB NOT NULL,
    "last_timestamp" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "metric_series_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "metric_series_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- GetMetricStatistics / GetMetricData find their series by this key; ListMetrics pages in this order.
CREATE UNIQUE INDEX "metric_series_account_id_region_namespace_metric_name_dimension_key_key"
    ON "metric_series"("account_id", "region", "namespace", "metric_name", "dimension_key");
-- Retention drops series without a recent datapoint.
CREATE INDEX "metric_series_last_timestamp_idx" ON "metric_series"("last_timestamp");

-- One value of a series at one time (a second write of the same time replaces it, so a collector may retry a batch).
CREATE TABLE "metric_datapoint" (
    "series_id" BIGINT NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "unit" TEXT NOT NULL,
    CONSTRAINT "metric_datapoint_pkey" PRIMARY KEY ("series_id", "timestamp"),
    CONSTRAINT "metric_datapoint_series_id_fkey" FOREIGN KEY ("series_id") REFERENCES "metric_series"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Rows arrive in time order, so a BRIN index serves retention's range delete at a tiny fraction of a b-tree's size.
CREATE INDEX "metric_datapoint_timestamp_idx" ON "metric_datapoint" USING BRIN ("timestamp");
