/**
 * Wire JSON the API built from a cluster row, kept by operation, cluster id and row version (Postgres `xmin`,
 * new on every update of the row, whoever writes it). An entry is used only when the row's current version, read in
 * the same request, is the one it was built from, so it is never staler than a fresh read. Per API instance (keyed
 * by its dependencies); at most 10,000 entries and 64 MiB of text.
 */
import { LRUCache } from 'lru-cache';
import type { AppDeps } from '../context';

const kept = new WeakMap<AppDeps, LRUCache<string, string>>();

export function keptJson(deps: AppDeps): LRUCache<string, string> {
  let cache = kept.get(deps);
  if (!cache) kept.set(deps, (cache = new LRUCache<string, string>({ max: 10_000, maxSize: 64 * 1024 * 1024, sizeCalculation: (json) => json.length + 64 })));
  return cache;
}

export const keptKey = (operation: string, id: string, version: string) => `${operation}:${id}:${version}`;
