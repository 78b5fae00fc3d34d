import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Db } from './client';
import type { SecretBox } from './secrets';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const pick = (n: number, alphabet: string) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');

/** 12-digit account id, like AWS (never starting with 0 so it survives number conversions). */
export const newAccountId = () => `${randomInt(1, 10)}${Array.from({ length: 11 }, () => randomInt(10)).join('')}`;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface Principal {
  accountId: string;
}

/** Account, access-key and token administration, shared by the admin command and start-up. */
export function accountService(db: Db, box: SecretBox) {
  return {
    async createAccount(name: string, id = newAccountId()) {
      return db.account.create({ data: { id, name } });
    },
    async findAccount(idOrName: string) {
      return db.account.findFirst({ where: { OR: [{ id: idOrName }, { name: idOrName }] } });
    },
    async createAccessKey(accountId: string) {
      // AKIA-style ids are 20 chars; ours start with OMSK so they are never mistaken for real AWS keys.
      const accessKeyId = `OMSK${pick(16, ALNUM)}`;
      const secretAccessKey = randomBytes(30).toString('base64').replace(/[+/=]/g, '').slice(0, 40);
      await db.accessKey.create({ data: { id: accessKeyId, accountId, secretEnc: box.seal(secretAccessKey) } });
      return { accessKeyId, secretAccessKey };
    },
    async createApiToken(accountId: string, name: string) {
      const token = `omsk_${randomBytes(24).toString('base64url')}`;
      await db.apiToken.create({ data: { id: randomBytes(8).toString('hex'), accountId, name, tokenHash: hashToken(token) } });
      return token;
    },
    /** Secret lookup for SigV4 verification. */
    async lookupAccessKey(accessKeyId: string): Promise<{ secretAccessKey: string; principal: Principal } | null> {
      const key = await db.accessKey.findUnique({ where: { id: accessKeyId } });
      return key ? { secretAccessKey: box.open(key.secretEnc), principal: { accountId: key.accountId } } : null;
    },
    async lookupToken(token: string): Promise<Principal | null> {
      const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) } });
      return row ? { accountId: row.accountId } : null;
    },
  };
}
export type AccountService = ReturnType<typeof accountService>;
