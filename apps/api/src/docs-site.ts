/**
 * What a person sees in a browser: the landing page at `/` (leading to the console at `/console/`, console-site.ts),
 * Swagger UI at `/docs` and the OpenAPI document at `/openapi.json`. Everything is served from this process; nothing is loaded from elsewhere.
 */
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { buildOpenApi } from '@openmsk/wire';
import { EXAMPLES } from './examples';
import { HANDLERS } from './operations';

/** openmsk's version, from the API package (one place, shown on the landing page and in the document). */
export const OPENMSK_VERSION: string = (require('../package.json') as { version: string }).version;
const API_VERSION = '2018-11-14';

const DESCRIPTION = `Amazon MSK compatible control plane: the \`kafka\` service's REST API (restJson1, API version
${API_VERSION}), answered by openmsk ${OPENMSK_VERSION} with real Kafka clusters.

**Authorize** with the API token that \`npm start\` wrote to \`.openmsk/token\` (make another with
\`npm run admin -- create-token <account>\`), then use *Try it out*: every operation's example works as it
stands, once the ARNs (and a cluster's \`currentVersion\`) are pasted from an earlier answer. Paste ARNs as they
are: Swagger UI encodes them.

The AWS CLI and SDKs sign requests with **AWS Signature Version 4** (service \`kafka\`) using an access key from
\`.openmsk/credentials\`; a browser cannot compute such signatures, so this page offers the token only.
Errors come back as AWS sends them: the \`x-amzn-ErrorType\` header names the exception, the body carries
\`message\` and \`invalidParameter\`.`;

const BEARER = 'The API token in `.openmsk/token` (written by `npm start`); `npm run admin -- create-token <account>` '
  + 'makes another. This page keeps it in your browser\'s local storage until you log out here.';

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="190" height="40" viewBox="0 0 190 40">
<rect x="2" y="6" width="28" height="28" rx="6" fill="#f5a623"/><circle cx="16" cy="20" r="6" fill="#1b1b1b"/>
<text x="40" y="28" font-family="sans-serif" font-size="24" font-weight="700" fill="#ffffff">openmsk</text></svg>`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function landingPage(): string {
  const links: Array<[string, string, string]> = [
    ['/console/', 'Web console', 'Clusters with their state and estimated cost, and a create-cluster form; sign in with the API token.'],
    ['/docs', 'API documentation', 'Swagger UI: every implemented MSK operation, with working examples.'],
    ['/openapi.json', 'OpenAPI document', 'The same operations as OpenAPI 3.0, for code generators and tools.'],
    ['/health', 'Health', 'Postgres, Redis and what the worker last reported.'],
    ['/metrics', 'Metrics', 'Prometheus text: requests per operation, clusters by state, the process.'],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>openmsk</title><link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}
h1{margin-bottom:.2rem}.v{color:#666;margin-top:0}li{margin:.6rem 0}code{background:#f3f3f3;padding:0 .25rem}</style>
</head><body>
<h1>openmsk</h1>
<p class="v">version ${escapeHtml(OPENMSK_VERSION)} · Amazon MSK API ${API_VERSION}</p>
<p>A self-hosted control plane for Apache Kafka that speaks the Amazon MSK API: point the AWS CLI, the AWS SDK or
Terraform at this address and get real Kafka clusters.</p>
<ul>${links.map(([href, name, what]) => `<li><a href="${href}">${name}</a> — ${what}</li>`).join('')}</ul>
<p>AWS CLI: <code>aws kafka list-clusters --endpoint-url &lt;this address&gt;</code> with the profile in
<code>.openmsk/credentials</code>. Swagger UI and curl take the token in <code>.openmsk/token</code>.</p>
</body></html>`;
}

/** Registers `/`, `/openapi.json` and Swagger UI under `/docs`. */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  const openapi = buildOpenApi(Object.keys(HANDLERS), {
    title: 'openmsk — Amazon MSK API',
    version: API_VERSION,
    description: DESCRIPTION,
    bearerDescription: BEARER,
    examples: EXAMPLES,
  });
  app.get('/openapi.json', async () => openapi);
  const page = landingPage();
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(page));
  await app.register(swagger, { mode: 'static', specification: { document: openapi as never } });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    logo: { type: 'image/svg+xml', content: Buffer.from(LOGO), href: '/', target: '_self' },
    theme: { title: 'openmsk — API docs' },
    uiConfig: {
      persistAuthorization: true,
      displayOperationId: true,
      docExpansion: 'list',
      defaultModelsExpandDepth: 0,
      tryItOutEnabled: false,
    },
  });
}
