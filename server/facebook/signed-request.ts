import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Meta's `signed_request`, which it POSTs to the deauthorize and data deletion callbacks:
 * `base64url(HMAC-SHA256 of the encoded payload, keyed with the app secret).base64url(JSON payload)`.
 */
const payloadSchema = z.object({
  algorithm: z.literal('HMAC-SHA256'),
  issued_at: z.number().int().positive(),
  user_id: z.string().regex(/^\d{1,32}$/),
});

/** Older requests are refused as replays; Meta sends the callback as the person acts. */
const maxAgeMs = 60 * 60 * 1000;
/** Clocks disagree a little. */
const maxClockSkewMs = 5 * 60 * 1000;

export type SignedRequestCheck = { userId: string; issuedAt: Date } | { refused: string };

export function verifySignedRequest(signedRequest: string, appSecret: string, now: Date): SignedRequestCheck {
  const [encodedSignature, encodedPayload, ...rest] = signedRequest.split('.');
  if (!encodedSignature || !encodedPayload || rest.length > 0) return { refused: 'not a signed_request' };
  const expected = createHmac('sha256', appSecret).update(encodedPayload).digest();
  const received = Buffer.from(encodedSignature, 'base64url');
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    return { refused: 'the signature does not match' };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encodedPayload, 'base64url').toString('utf8'));
  } catch {
    return { refused: 'the payload is not JSON' };
  }
  const payload = payloadSchema.safeParse(json);
  if (!payload.success) return { refused: 'the payload lacks algorithm, issued_at or user_id' };
  const issuedAt = new Date(payload.data.issued_at * 1000);
  const ageMs = now.getTime() - issuedAt.getTime();
  if (ageMs > maxAgeMs || ageMs < -maxClockSkewMs) return { refused: 'the signed_request has expired' };
  return { userId: payload.data.user_id, issuedAt };
}
