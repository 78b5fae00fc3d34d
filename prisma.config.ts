import { defineConfig } from 'prisma/config';

// Only `prisma generate` is used (see prisma/schema.prisma); the URL is for tooling that asks.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  datasource: { url: process.env.OPENMSK_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/openmsk' },
});
