-- cluster.spec and cluster.tags as json: never queried inside, and json is sent as stored where jsonb is
-- re-serialised on every read. ListClusters' index covers its whole order (created_at, id).
ALTER TABLE "cluster" ALTER COLUMN "spec" TYPE JSON USING "spec"::json;
ALTER TABLE "cluster" ALTER COLUMN "tags" DROP DEFAULT;
ALTER TABLE "cluster" ALTER COLUMN "tags" TYPE JSON USING "tags"::json;
ALTER TABLE "cluster" ALTER COLUMN "tags" SET DEFAULT '{}';
DROP INDEX "cluster_account_id_region_created_at_idx";
CREATE INDEX "cluster_account_id_region_created_at_id_idx" ON "cluster"("account_id", "region", "created_at", "id");
