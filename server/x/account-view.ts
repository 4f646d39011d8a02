import { z } from 'zod';
import type { XAccountRecord } from '../../models/x-account';
import { isoInstant } from '../platform/openapi/api-operation';

/** An X connection as the API shows it: never its tokens. */
export interface XAccountView {
  id: string;
  xUserId: string;
  username: string;
  name: string;
  ownerId: string;
  /** Whether the member asking is its owner: only the owner may share through it. */
  isOwner: boolean;
  scopes: string[];
  status: string;
  statusReason: string | null;
  sharing: { scope: string; teamId: string | null };
  connectedAt: string;
  revokedAt: string | null;
}

export function toXAccountView(account: XAccountRecord, viewerId: string): XAccountView {
  return {
    id: account._id.toString(),
    xUserId: account.xUserId,
    username: account.username,
    name: account.name,
    ownerId: account.owner.toString(),
    isOwner: account.owner.toString() === viewerId,
    scopes: account.scopes,
    status: account.status,
    statusReason: account.statusReason ?? null,
    sharing: { scope: account.sharing?.scope ?? 'private', teamId: account.sharing?.teamId ?? null },
    connectedAt: account.connectedAt.toISOString(),
    revokedAt: account.revokedAt?.toISOString() ?? null,
  };
}

export const xAccountViewSchema = z.object({
  id: z.string(),
  xUserId: z.string(),
  username: z.string(),
  name: z.string(),
  ownerId: z.string(),
  isOwner: z.boolean(),
  scopes: z.array(z.string()),
  status: z.string(),
  statusReason: z.string().nullable(),
  sharing: z.object({ scope: z.string(), teamId: z.string().nullable() }),
  connectedAt: isoInstant,
  revokedAt: isoInstant.nullable(),
});
