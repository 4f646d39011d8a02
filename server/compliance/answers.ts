import { z } from 'zod';
import { auditActorKinds } from '../../models/audit-log';
import { isoInstant } from '../platform/openapi/api-operation';

/** What the audit and compliance routes answer, for the OpenAPI document and the tests that hold the answers to it. */

const day = z.iso.date();
const countsByWay = z.record(z.string(), z.number().int());

export const auditPageAnswer = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      at: isoInstant,
      pageId: z.string().nullable(),
      actor: z.object({ kind: z.enum(auditActorKinds), id: z.string() }),
      action: z.string(),
      object: z.object({ kind: z.string(), id: z.string() }),
      basis: z.string(),
      details: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const refusalsAnswer = z.object({
  from: day,
  to: day,
  data: z.array(
    z.object({
      reason: z.string(),
      by: z.enum(['policy', 'meta']),
      code: z.string(),
      metaCode: z.number().int().nullable(),
      description: z.string(),
      count: z.number().int(),
      bySource: countsByWay,
    }),
  ),
  total: z.number().int(),
});

export const optOutsAnswer = z.object({
  from: day,
  to: day,
  days: z.array(z.object({ day, optIns: z.number().int(), optOuts: z.number().int() })),
  totals: z.object({ optIns: z.number().int(), optOuts: z.number().int() }),
  byWay: z.object({ optIns: countsByWay, optOuts: countsByWay }),
});
