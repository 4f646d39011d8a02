import { createHmac } from 'node:crypto';

export interface Signatures {
  'x-hub-signature-256': string;
  'x-hub-signature': string;
}

/** HMAC of the exact body bytes, keyed with the app secret: SHA-256 and the legacy SHA-1 header. */
export function sign(body: string, appSecret: string): Signatures {
  return {
    'x-hub-signature-256': `sha256=${createHmac('sha256', appSecret).update(body, 'utf8').digest('hex')}`,
    'x-hub-signature': `sha1=${createHmac('sha1', appSecret).update(body, 'utf8').digest('hex')}`,
  };
}
