import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

const MIGRATIONS_DIR = join(__dirname, '..', '..', '..', 'prisma', 'migrations');
// Any constant works; it only serialises concurrent migrators (npm start racing npm test).
const LOCK_ID = 724_311;

/** Create the database if missing, then apply every prisma/migrations/<n>/migration.sql not yet applied. */
export async function migrate(databaseUrl: string, log: (s: string) => void = () => {}): Promise<string[]> {
  await ensureDatabase(databaseUrl);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_openmsk_migrations" (
      "name" TEXT PRIMARY KEY, "applied_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP)`);
    const done = new Set((await client.query('SELECT name FROM "_openmsk_migrations"')).rows.map((r) => r.name as string));
    const applied: string[] = [];
    for (const name of readdirSync(MIGRATIONS_DIR).sort()) {
      if (done.has(name)) continue;
      const sql = readFileSync(join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO "_openmsk_migrations"(name) VALUES ($1)', [name]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${name} failed: ${(e as Error).message}`);
      }
      log(`applied migration ${name}`);
      applied.push(name);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => {});
    await client.end();
  }
}

/** Runs `fn` on a connection to the server's `postgres` database, with the target database's name. */
async function withAdmin<T>(databaseUrl: string, fn: (admin: Client, name: string, quoted: string) => Promise<T>): Promise<T> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    return await fn(admin, name, `"${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}

function ensureDatabase(databaseUrl: string): Promise<void> {
  return withAdmin(databaseUrl, async (admin, name, quoted) => {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${quoted}`).catch((e: { code?: string }) => {
        if (e.code !== '42P04') throw e; // created meanwhile by a concurrent migrator
      });
    }
  });
}

/** Drop a database (tests create one per file). */
export function dropDatabase(databaseUrl: string): Promise<void> {
  return withAdmin(databaseUrl, async (admin, _name, quoted) => {
    await admin.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
  });
}

if (require.main === module) {
  const url = process.env.OPENMSK_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/openmsk';
  migrate(url, (s) => console.log(`[migrate] ${s}`))
    .then((a) => console.log(`[migrate] ${a.length ? `${a.length} applied` : 'up to date'}`))
    .catch((e) => {
      console.error(`[migrate] ${e.message}`);
      process.exit(1);
    });
}
