import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A key reads `pwk_<12 hex>_<43 base64url>`: the first part is its prefix, stored in clear to find the key and shown
 * to admins; the whole key carries 256 random bits, and only its SHA-256 is stored.
 */
const keyFormat = /^(pwk_[0-9a-f]{12})_[A-Za-z0-9_-]{43}$/u;

export interface NewKey {
  key: string;
  prefix: string;
  secretHash: string;
}

const hashOf = (key: string) => createHash('sha256').update(key).digest();

export function generateKey(): NewKey {
  const prefix = `pwk_${randomBytes(6).toString('hex')}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, secretHash: hashOf(key).toString('hex') };
}

/** The prefix of a well-formed key, or undefined for anything else. */
export function prefixOf(key: string): string | undefined {
  return keyFormat.exec(key)?.[1];
}

export function isKeyOf(key: string, secretHash: string): boolean {
  const stored = Buffer.from(secretHash, 'hex');
  const given = hashOf(key);
  return stored.length === given.length && timingSafeEqual(stored, given);
}
