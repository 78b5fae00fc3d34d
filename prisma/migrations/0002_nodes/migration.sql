-- Provisioning state: nodes, host ports, certificate authorities (mirrors prisma/schema.prisma)
CREATE TABLE "node" (
  "cluster_id" UUID NOT NULL REFERENCES "cluster"("id") ON DELETE CASCADE,
  "node_id" TEXT NOT NULL,
  "role" TEXT NOT NULL,
  "ordinal" INTEGER NOT NULL,
  "zone" TEXT NOT NULL,
  "instance_type" TEXT,
  "ports" JSONB NOT NULL,
  "node_uuid" UUID NOT NULL,
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY ("cluster_id", "node_id")
);

-- No foreign key: a port stays reserved until the worker has torn the cluster's containers down.
CREATE TABLE "port_allocation" (
  "port" INTEGER PRIMARY KEY,
  "cluster_id" UUID NOT NULL,
  "node_id" TEXT NOT NULL,
  "purpose" TEXT NOT NULL
);
CREATE INDEX "port_allocation_cluster_id_idx" ON "port_allocation"("cluster_id");

CREATE TABLE "certificate_authority" (
  "account_id" TEXT PRIMARY KEY REFERENCES "account"("id") ON DELETE CASCADE,
  "cert_pem" TEXT NOT NULL,
  "key_enc" TEXT NOT NULL,
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

ALTER TABLE "cluster" ADD COLUMN "kraft_cluster_id" TEXT;
