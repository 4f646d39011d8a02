import type { Model } from 'mongoose';
import { OutgoingWebhookEndpointModel } from '../../models/outgoing-webhook-endpoint';
import { PageModel } from '../../models/page';
import { UserModel } from '../../models/user';
import { userTokenBinding } from '../accounts/login';
import { secretBinding } from '../outgoing-webhooks/endpoints';
import { pageTokenBinding } from './page-access';
import { XAccountModel } from '../../models/x-account';
import { XAdsConnectionModel } from '../../models/x-ads-connection';
import { xTokenBinding } from '../x/connections';
import {
  tokenBinding as xAdsTokenBinding,
  tokenSecretBinding as xAdsTokenSecretBinding,
} from '../x-ads/connections';

/** Where a kind of secret sealed with TOKEN_ENCRYPTION_KEYS is stored, and what each ciphertext is bound to. */
export interface SealedSecretKind {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- models of several schemas, used by the field named
  model: Model<any>;
  /** An `encryptedSecretSchema` field, select: false. */
  field: string;
  bindingOf(documentId: string): string;
}

/**
 * Every secret Pagewire seals with the token vault: a new one is added here, so that the key rotation
 * (`pages:rotate-token-keys`) re-encrypts it and a retired key can be removed.
 */
export const sealedSecrets: readonly SealedSecretKind[] = [
  { model: PageModel, field: 'accessToken', bindingOf: pageTokenBinding },
  { model: UserModel, field: 'userToken', bindingOf: userTokenBinding },
  { model: OutgoingWebhookEndpointModel, field: 'secret', bindingOf: secretBinding },
  { model: XAccountModel, field: 'accessToken', bindingOf: (id) => xTokenBinding(id, 'access') },
  { model: XAccountModel, field: 'refreshToken', bindingOf: (id) => xTokenBinding(id, 'refresh') },
  { model: XAdsConnectionModel, field: 'accessToken', bindingOf: xAdsTokenBinding },
  { model: XAdsConnectionModel, field: 'accessTokenSecret', bindingOf: xAdsTokenSecretBinding },
];
