import { createHmac } from 'node:crypto';

/**
 * The `signed_request` Meta POSTs to an app's deauthorize and data deletion callbacks:
 * base64url(HMAC-SHA256 of the encoded payload with the app secret) + '.' + base64url(JSON payload).
 */
export function signedRequest(payload: { user_id: string; issued_at: number }, appSecret: string): string {
  const encodedPayload = Buffer.from(JSON.stringify({ algorithm: 'HMAC-SHA256', ...payload })).toString(
    'base64url',
  );
  const signature = createHmac('sha256', appSecret).update(encodedPayload).digest('base64url');
  return `${signature}.${encodedPayload}`;
}
