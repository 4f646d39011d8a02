import { createHash, randomBytes, randomInt } from 'node:crypto';

/** A PSID is unique per person–Page pair; derive it from a hash so it is stable across runs. */
export function derivePsid(appId: string, pageId: string, personId: string): string {
  const digest = createHash('sha256').update(`${appId}:${pageId}:${personId}`).digest('hex');
  const digits = BigInt(`0x${digest.slice(0, 13)}`)
    .toString()
    .padStart(15, '0');
  return `2${digits.slice(0, 15)}`;
}

export function newNumericId(): string {
  return `${randomInt(1, 10)}${String(randomInt(0, 1e7)).padStart(7, '0')}${String(randomInt(0, 1e7)).padStart(7, '0')}`;
}

export function newMid(): string {
  return `m_${randomBytes(30).toString('base64url')}`;
}

export function newAccessToken(): string {
  return `EAA${randomBytes(40).toString('base64url').replace(/[-_]/g, 'Z')}`;
}

export function newFbtraceId(): string {
  return randomBytes(8).toString('base64url');
}

export function newOpaqueToken(): string {
  return randomBytes(24).toString('hex');
}

/** Seeded Page tokens are stable, so a reset or a restart hands out the same token. */
export function stableAccessToken(secret: string, subject: string): string {
  return `EAA${createHash('sha256').update(`${secret}:${subject}`).digest('base64url').replace(/[-_]/g, 'Z')}`;
}
