-- Secrets Manager compatible secrets (apps/api/src/secretsmanager): one row per secret, one per version.
-- Values are sealed with the master key (SecretBox); nothing here is readable without it.
CREATE TABLE "secret" (
    "id" UUID NOT NULL,
    "account_id" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "arn" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "kms_key_id" TEXT,
    "tags" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_changed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_accessed_at" TIMESTAMP(3),
    "deleted_at" TIMESTAMP(3),
    "deletion_date" TIMESTAMP(3),
    CONSTRAINT "secret_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "secret_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "secret_arn_key" ON "secret"("arn");
CREATE UNIQUE INDEX "secret_account_id_region_name_key" ON "secret"("account_id", "region", "name");

-- version_id is the ClientRequestToken that made it; stages holds AWSCURRENT, AWSPREVIOUS and custom labels.
CREATE TABLE "secret_version" (
    "secret_id" UUID NOT NULL,
    "version_id" TEXT NOT NULL,
    "value_enc" TEXT NOT NULL,
    "stages" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "secret_version_pkey" PRIMARY KEY ("secret_id", "version_id"),
    CONSTRAINT "secret_version_secret_id_fkey" FOREIGN KEY ("secret_id") REFERENCES "secret"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
