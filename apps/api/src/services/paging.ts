import { badRequest } from '@openmsk/wire';

/** Keyset position (created_at, id) inside an opaque, url-safe nextToken. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeToken(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.createdAt.toISOString(), c.id])).toString('base64url');
}

/** What a cursor's id is, so a crafted token never reaches Postgres as a value its column refuses. */
export type CursorId = 'uuid' | 'text' | 'revision';

const ID_FORMAT: Record<CursorId, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  // Printable ASCII only: node ids are short names; no NUL or other byte Postgres would refuse.
  text: /^[\x20-\x7e]{1,256}$/,
  // A positive safe integer without leading zeros (revisions are bigint columns, read as numbers).
  revision: /^[1-9]\d{0,14}$/,
};

// What encodeToken writes: toISOString of a date with a four-digit year (Postgres's timestamp range is far
// wider, but the year -271821 a crafted token can carry is outside it, and no row is older than 1970).
const CREATED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The cursor inside a nextToken, or undefined for none; BadRequestException `nextToken` for anything
 * encodeToken could not have written. `id` says what the cursor's id must be (default: printable text).
 */
export function decodeToken(token: string | undefined, id: CursorId = 'text'): Cursor | undefined {
  if (token === undefined || token === '') return undefined;
  const invalid = () => badRequest('The specified nextToken is not valid.', 'nextToken');
  if (token.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(token)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid();
  const [at, key] = parsed as unknown[];
  if (typeof at !== 'string' || !CREATED_AT.test(at) || typeof key !== 'string' || !ID_FORMAT[id].test(key)) throw invalid();
  const createdAt = new Date(at);
  // Round-trips only for a real calendar date (no 2024-02-30, no hour 24).
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== at) throw invalid();
  return { createdAt, id: key };
}

// AWS-PARITY: the model caps maxResults at 100 and documents no default; we default to 100.
export function pageSize(maxResults: number | undefined): number {
  if (maxResults === undefined) return 100;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) {
    throw badRequest('maxResults must be between 1 and 100.', 'maxResults');
  }
  return maxResults;
}

/** Prisma `where` fragment for rows after the cursor, in (createdAt, id) order. */
export function afterCursor(c: Cursor | undefined) {
  return c ? { OR: [{ createdAt: { gt: c.createdAt } }, { createdAt: c.createdAt, id: { gt: c.id } }] } : {};
}

/** Slice one extra row to know whether a nextToken is due. */
export function page<T extends Cursor>(rows: T[], size: number): { items: T[]; nextToken?: string } {
  if (rows.length <= size) return { items: rows };
  const items = rows.slice(0, size);
  return { items, nextToken: encodeToken(items[items.length - 1]) };
}
