import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The stored form of a secret: AES-256-GCM ciphertext, its nonce and tag, and the id of the key that sealed it. */
export interface EncryptedSecret {
  keyId: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/**
 * Seals Page and user tokens and webhook signing secrets at rest (`sealed-secrets.ts` lists them). Each ciphertext is
 * bound to what it belongs to (`boundTo`, e.g. `page:<id>`) as GCM associated data, so a token copied onto another
 * document does not decrypt.
 */
export interface TokenVault {
  encrypt(plain: string, boundTo: string): EncryptedSecret;
  decrypt(secret: EncryptedSecret, boundTo: string): string;
  /** False once the secret was sealed with a key other than the newest: it should be re-encrypted. */
  isSealedWithNewestKey(secret: EncryptedSecret): boolean;
}

const algorithm = 'aes-256-gcm';
const ivBytes = 12;

export class UnknownEncryptionKey extends Error {
  constructor(keyId: string) {
    super(
      `No encryption key "${keyId}" is configured; keep retired keys in TOKEN_ENCRYPTION_KEYS until rotated`,
    );
    this.name = 'UnknownEncryptionKey';
  }
}

/** `keys` newest first, as TOKEN_ENCRYPTION_KEYS lists them: the first encrypts, any decrypts its own. */
export function createTokenVault(keys: readonly EncryptionKey[]): TokenVault {
  const newest = keys[0];
  if (!newest) throw new Error('createTokenVault needs at least one key');
  const byId = new Map(keys.map((entry) => [entry.id, entry.key]));

  return {
    encrypt(plain, boundTo) {
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv(algorithm, newest.key, iv);
      cipher.setAAD(Buffer.from(boundTo));
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return {
        keyId: newest.id,
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        ciphertext: ciphertext.toString('base64'),
      };
    },

    decrypt(secret, boundTo) {
      const key = byId.get(secret.keyId);
      if (!key) throw new UnknownEncryptionKey(secret.keyId);
      const decipher = createDecipheriv(algorithm, key, Buffer.from(secret.iv, 'base64'));
      decipher.setAAD(Buffer.from(boundTo));
      decipher.setAuthTag(Buffer.from(secret.tag, 'base64'));
      const plain = Buffer.concat([
        decipher.update(Buffer.from(secret.ciphertext, 'base64')),
        decipher.final(),
      ]);
      return plain.toString('utf8');
    },

    isSealedWithNewestKey: (secret) => secret.keyId === newest.id,
  };
}
