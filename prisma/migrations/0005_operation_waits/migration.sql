-- Why an operation paused (the roller waiting for a partition to get back above min.insync.replicas, …):
-- [{ at, reason }], newest last. Not part of MSK's answers; for operators and the console.
ALTER TABLE "cluster_operation" ADD COLUMN "waits" JSONB NOT NULL DEFAULT '[]';
