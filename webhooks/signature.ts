import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Meta signs the exact body bytes with the app secret (`X-Hub-Signature-256: sha256=<hex>`). We verify those bytes,
 * never re-serialised JSON (Meta escapes non-ASCII as \uXXXX, so a re-serialisation would not match), and compare in
 * constant time.
 */
export function isValidSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const received = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return received.length === expected.length && timingSafeEqual(received, expected);
}
