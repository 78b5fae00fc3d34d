-- openmsk initial schema (mirrors prisma/schema.prisma; applied by packages/db/src/migrate.ts)
CREATE TABLE "account" (
  "id" TEXT PRIMARY KEY,
  "name" TEXT NOT NULL UNIQUE,
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "access_key" (
  "id" TEXT PRIMARY KEY,
  "account_id" TEXT NOT NULL REFERENCES "account"("id") ON DELETE CASCADE,
  "secret_enc" TEXT NOT NULL,
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "api_token" (
  "id" TEXT PRIMARY KEY,
  "account_id" TEXT NOT NULL REFERENCES "account"("id") ON DELETE CASCADE,
  "token_hash" TEXT NOT NULL UNIQUE,
  "name" TEXT NOT NULL,
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "cluster" (
  "id" UUID PRIMARY KEY,
  "account_id" TEXT NOT NULL REFERENCES "account"("id"),
  "region" TEXT NOT NULL,
  "arn" TEXT NOT NULL UNIQUE,
  "name" TEXT NOT NULL,
  "cluster_type" TEXT NOT NULL DEFAULT 'PROVISIONED',
  "state" TEXT NOT NULL,
  "state_code" TEXT,
  "state_message" TEXT,
  "current_version" TEXT NOT NULL,
  "kafka_version" TEXT NOT NULL,
  "number_of_broker_nodes" INTEGER NOT NULL,
  "spec" JSONB NOT NULL,
  "configuration_arn" TEXT,
  "configuration_revision" BIGINT,
  "active_operation_arn" TEXT,
  "tags" JSONB NOT NULL DEFAULT '{}',
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "cluster_account_id_region_name_key" UNIQUE ("account_id", "region", "name")
);
CREATE INDEX "cluster_account_id_region_created_at_idx" ON "cluster"("account_id", "region", "created_at");

CREATE TABLE "configuration" (
  "id" UUID PRIMARY KEY,
  "account_id" TEXT NOT NULL REFERENCES "account"("id"),
  "region" TEXT NOT NULL,
  "arn" TEXT NOT NULL UNIQUE,
  "name" TEXT NOT NULL,
  "description" TEXT NOT NULL DEFAULT '',
  "kafka_versions" TEXT[] NOT NULL DEFAULT '{}',
  "state" TEXT NOT NULL DEFAULT 'ACTIVE',
  "latest_revision" BIGINT NOT NULL,
  "tags" JSONB NOT NULL DEFAULT '{}',
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "configuration_account_id_region_name_key" UNIQUE ("account_id", "region", "name")
);
CREATE INDEX "configuration_account_id_region_created_at_idx" ON "configuration"("account_id", "region", "created_at");

CREATE TABLE "configuration_revision" (
  "configuration_id" UUID NOT NULL REFERENCES "configuration"("id") ON DELETE CASCADE,
  "revision" BIGINT NOT NULL,
  "description" TEXT,
  "server_properties" BYTEA NOT NULL,
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY ("configuration_id", "revision")
);

CREATE TABLE "cluster_operation" (
  "id" UUID PRIMARY KEY,
  "arn" TEXT NOT NULL UNIQUE,
  "cluster_id" UUID NOT NULL REFERENCES "cluster"("id") ON DELETE CASCADE,
  "account_id" TEXT NOT NULL,
  "operation_type" TEXT NOT NULL,
  "operation_state" TEXT NOT NULL,
  "client_request_id" TEXT,
  "source_cluster_info" JSONB,
  "target_cluster_info" JSONB,
  "steps" JSONB NOT NULL DEFAULT '[]',
  "error_code" TEXT,
  "error_string" TEXT,
  "enqueued" BOOLEAN NOT NULL DEFAULT false,
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "end_time" TIMESTAMP(3)
);
CREATE INDEX "cluster_operation_cluster_id_created_at_idx" ON "cluster_operation"("cluster_id", "created_at");
