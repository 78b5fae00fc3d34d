/**
 * Route matching for the kafka REST paths. Matching runs on the RAW (still percent-encoded) path: clients encode
 * every label as one segment (`arn%3Aaws%3Akafka%3A...%3Acluster%2Fdemo%2Fuuid`), so decoding before splitting
 * would cut ARNs at their `/`. Only the captured label segment is decoded.
 */
import { badRequest } from './errors';
import { OPERATIONS, type Operation } from './model';

export interface RouteMatch {
  operation: Operation;
  /** Label values by the PascalCase name used in the path template (`ClusterArn`), percent-decoded. */
  labels: Record<string, string>;
}

type Segment = { literal: string } | { label: string };
interface Route {
  operation: Operation;
  segments: Segment[];
}

function compile(op: Operation): Route {
  const segments = op.pathTemplate
    .split('/')
    .slice(1)
    .map((s): Segment => {
      const m = /^\{(\w+)\}$/.exec(s);
      if (!m && s.includes('{')) throw new Error(`kafka model: unsupported path segment ${s} in ${op.name}`);
      return m ? { label: m[1] } : { literal: s };
    });
  return { operation: op, segments };
}

const ROUTES: Route[] = OPERATIONS.map(compile);

/** Literal before label at the first differing position, so `/nodes/count` never lands on a `{x}` sibling. */
function moreSpecific(a: Route, b: Route): number {
  for (let i = 0; i < a.segments.length; i++) {
    const la = 'literal' in a.segments[i];
    const lb = 'literal' in b.segments[i];
    if (la !== lb) return la ? -1 : 1;
  }
  return 0;
}

function splitRaw(rawPath: string): string[] | undefined {
  const q = rawPath.indexOf('?');
  const p = q >= 0 ? rawPath.slice(0, q) : rawPath;
  return p.startsWith('/') ? p.split('/').slice(1) : undefined;
}

function fits(route: Route, parts: string[]): boolean {
  if (route.segments.length !== parts.length) return false;
  return route.segments.every((s, i) => ('literal' in s ? s.literal === parts[i] : parts[i] !== ''));
}

/** Routes (any method) whose template fits the path, most specific first. */
function candidates(rawPath: string): Route[] {
  const parts = splitRaw(rawPath);
  if (!parts) return [];
  return ROUTES.filter((r) => fits(r, parts)).sort(moreSpecific);
}

/**
 * Finds the operation for a request. Paths are matched exactly (AWS does not fold a trailing slash); a query
 * string in `rawPath` is ignored. Throws BadRequestException when a label is not valid percent-encoding.
 */
export function matchRoute(method: string, rawPath: string): RouteMatch | undefined {
  const upper = method.toUpperCase();
  const all = candidates(rawPath);
  if (all.length === 0) return undefined;
  // Specificity is decided among all methods first: a literal route for another method must not hand the
  // request to a label route (that would mis-route, say, a POST to `/nodes/count` as `{ClusterArn}`).
  const best = all.filter((r) => moreSpecific(r, all[0]) === 0);
  const route = best.find((r) => r.operation.method === upper);
  if (!route) return undefined;
  const parts = splitRaw(rawPath)!;
  const labels: Record<string, string> = {};
  route.segments.forEach((s, i) => {
    if (!('label' in s)) return;
    try {
      labels[s.label] = decodeURIComponent(parts[i]);
    } catch {
      // AWS-PARITY: unknown text; AWS's front door rejects malformed escapes before the service sees them.
      throw badRequest(`The path parameter ${s.label} is not valid percent-encoding.`, s.label);
    }
  });
  return { operation: route.operation, labels };
}

/** Methods served at a path (for 405-style answers and `Allow` headers); empty if no route fits. */
export function allowedMethods(rawPath: string): string[] {
  const all = candidates(rawPath);
  if (all.length === 0) return [];
  return [...new Set(all.filter((r) => moreSpecific(r, all[0]) === 0).map((r) => r.operation.method))].sort();
}
