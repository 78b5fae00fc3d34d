import type { Db } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import { badRequest } from '@openmsk/wire';
import type { RequestContext, VersionCatalog } from '../context';

/**
 * kafka_image, read at most every `ttlMs`. One per API instance (AppDeps.versions), so two apps on two databases
 * never see each other's images.
 */
export function versionCatalog(db: Db, ttlMs = 5000): VersionCatalog {
  let cache: { at: number; releases: Promise<ReadonlySet<string>> } | undefined;
  return {
    releases: () => {
      if (!cache || Date.now() - cache.at > ttlMs) {
        // Concurrent requests share one read; a failed read is not kept.
        const releases = db.kafkaImage.findMany({ select: { release: true } }).then((rows) => new Set(rows.map((r) => r.release)));
        const entry = (cache = { at: Date.now(), releases });
        releases.catch(() => {
          if (cache === entry) cache = undefined;
        });
      }
      return cache.releases;
    },
    forget: () => {
      cache = undefined;
    },
  };
}

/**
 * Catalog versions whose image the worker found in the local engine (table kafka_image):
 * openmsk offers only what it can really run.
 */
export async function availableVersions(ctx: RequestContext): Promise<domain.KafkaVersionInfo[]> {
  const releases = await ctx.deps.versions.releases();
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
