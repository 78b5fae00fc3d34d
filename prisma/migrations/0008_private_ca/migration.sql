-- ACM Private CA compatible certificate authorities (apps/api/src/acmpca) and the certificates they issued.
-- The CA's private key is sealed with the master key (SecretBox); certificates and CSRs are public and kept as PEM.
CREATE TABLE "private_ca" (
    "id" UUID NOT NULL,
    "account_id" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "arn" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "usage_mode" TEXT NOT NULL,
    "key_algorithm" TEXT NOT NULL,
    "signing_algorithm" TEXT NOT NULL,
    "configuration" JSONB NOT NULL,
    "key_enc" TEXT NOT NULL,
    "csr_pem" TEXT NOT NULL,
    "cert_pem" TEXT,
    "chain_pem" TEXT,
    "serial" TEXT,
    "not_before" TIMESTAMP(3),
    "not_after" TIMESTAMP(3),
    "tags" JSONB NOT NULL DEFAULT '[]',
    "idempotency_token" TEXT,
    "status_before_deletion" TEXT,
    "restorable_until" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_state_change_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "private_ca_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "private_ca_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "private_ca_arn_key" ON "private_ca"("arn");
CREATE INDEX "private_ca_account_id_region_created_at_idx" ON "private_ca"("account_id", "region", "created_at");

-- id is the 32 hex digits at the end of the certificate ARN; idempotency_token serves IssueCertificate retries.
CREATE TABLE "private_ca_certificate" (
    "id" TEXT NOT NULL,
    "ca_id" UUID NOT NULL,
    "arn" TEXT NOT NULL,
    "serial" TEXT NOT NULL,
    "cert_pem" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "idempotency_token" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "private_ca_certificate_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "private_ca_certificate_ca_id_fkey" FOREIGN KEY ("ca_id") REFERENCES "private_ca"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "private_ca_certificate_arn_key" ON "private_ca_certificate"("arn");
CREATE INDEX "private_ca_certificate_ca_id_idempotency_token_idx" ON "private_ca_certificate"("ca_id", "idempotency_token");
