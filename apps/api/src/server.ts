import { loadConfig } from '@openmsk/config';
import { buildApp } from './app';
import { createDeps } from './deps';

async function main() {
  const config = loadConfig();
  const deps = createDeps(config);
  const app = await buildApp(deps);
  const close = async () => {
    await app.close();
    await deps.close();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ host: config.OPENMSK_HOST, port: config.PORT });
  console.log(`openmsk API listening on http://${config.OPENMSK_HOST}:${config.PORT} (Swagger UI: /docs, metrics: /metrics)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
