/**
 * MSK's `currentVersion`: an opaque optimistic-concurrency token, replaced on every accepted
 * update. Real values look like `K3AEGXETSR30VB` or `K1X5R6FKA87` (docs/msk-behaviour.md §3).
 */
import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A fresh token: `K` + 13 characters from [A-Z0-9], crypto-random (unbiased `randomInt`). */
export function newCurrentVersion(): string {
  let s = 'K';
  for (let i = 0; i < 13; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** Whether `s` has the shape of a token MSK could have issued (AWS shows 10–13 characters after `K`). */
export function isCurrentVersion(s: unknown): s is string {
  return typeof s === 'string' && /^K[A-Z0-9]{10,13}$/.test(s);
}
