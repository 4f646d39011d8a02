import { createHmac, randomBytes } from 'node:crypto';

export const signatureHeader = 'Pagewire-Signature';
/** The event's id: the same on every attempt and replay, so a receiver handles each event once. */
export const eventIdHeader = 'Pagewire-Event-Id';
export const eventTypeHeader = 'Pagewire-Event-Type';

/** `whsec_` and 32 random bytes: shown to the admin once, at creation or rotation. */
export const generateSigningSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`: the timestamp is signed with the body, so a
 * receiver that refuses old timestamps refuses a replayed request.
 */
export function signatureFor(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}
