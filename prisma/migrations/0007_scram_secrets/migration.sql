-- SCRAM secrets associated with a cluster (BatchAssociateScramSecret). The users on the brokers follow these rows:
-- applied_version / applied_username say which secret version, under which user name, the brokers were last given,
-- so a new secret value (PutSecretValue) or a changed user name is applied and a removed row's user deleted.
CREATE TABLE "scram_secret" (
    "cluster_id" UUID NOT NULL,
    "secret_arn" TEXT NOT NULL,
    "applied_version" TEXT,
    "applied_username" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "scram_secret_pkey" PRIMARY KEY ("cluster_id", "secret_arn"),
    CONSTRAINT "scram_secret_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "scram_secret_secret_arn_idx" ON "scram_secret"("secret_arn");
