import * as domain from '@openmsk/domain';
import { badRequest } from '@openmsk/wire';
import type { RequestContext } from '../context';

const TTL_MS = 5000;
let cache: { at: number; releases: Set<string> } | undefined;

/**
 * Catalog versions whose image the worker found in the local engine (table kafka_image):
 * openmsk offers only what it can really run.
 */
export async function availableVersions(ctx: RequestContext): Promise<domain.KafkaVersionInfo[]> {
  if (!cache || Date.now() - cache.at > TTL_MS) {
    const rows = await ctx.deps.db.kafkaImage.findMany({ select: { release: true } });
    cache = { at: Date.now(), releases: new Set(rows.map((r) => r.release)) };
  }
  const releases = cache.releases;
  return domain.listKafkaVersions().filter((v) => releases.has(v.apacheVersion));
}

/** MSK's "Unsupported KafkaVersion" error when the catalog knows the version but its image is not built. */
export async function assertVersionAvailable(ctx: RequestContext, label: string, param = 'kafkaVersion'): Promise<void> {
  const available = (await availableVersions(ctx)).map((v) => v.label);
  if (!available.includes(label)) {
    throw badRequest(`Unsupported KafkaVersion [${label}]. Valid values: [${available.join(', ')}]`, param);
  }
}

export async function compatibleTargets(ctx: RequestContext, label: string): Promise<string[]> {
  const available = new Set((await availableVersions(ctx)).map((v) => v.label));
  return domain.compatibleTargets(label).filter((t) => available.has(t));
}

/** Tests and tools that change kafka_image call this to see the change at once. */
export function forgetAvailableVersions() {
  cache = undefined;
}
