import { badRequest } from '@openmsk/wire';

/** Keyset position (created_at, id) inside an opaque, url-safe nextToken. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeToken(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.createdAt.toISOString(), c.id])).toString('base64url');
}

export function decodeToken(token: string | undefined): Cursor | undefined {
  if (token === undefined || token === '') return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const createdAt = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(createdAt.getTime())) throw new Error();
    return { createdAt, id };
  } catch {
    throw badRequest('The specified nextToken is not valid.', 'nextToken');
  }
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
