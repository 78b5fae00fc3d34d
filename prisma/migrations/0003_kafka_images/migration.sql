-- Kafka images known to be built in the local Docker engine (mirrors prisma/schema.prisma)
CREATE TABLE "kafka_image" (
  "release" TEXT PRIMARY KEY,
  "image_id" TEXT NOT NULL,
  "checked_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
