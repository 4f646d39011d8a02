import { Types } from 'mongoose';
import { z } from 'zod';
import { ComplianceTallyModel, type ComplianceMeasure } from '../../models/compliance-tally';
import { visiblePageIds, type Member } from '../accounts/authorization';
import type { Clock } from '../platform/clock';
import { BadRequest, NotFound } from '../platform/errors';
import { objectIdString } from '../platform/ids';
import { dayOf } from './tallies';

const DAY_MS = 86_400_000;
/** The longest range a chart reads: a year of days. */
const maxDays = 366;

export const reportQuerySchema = z.strictObject({
  pageId: objectIdString.optional(),
  /** UTC days, both included; by default the 30 days up to today. */
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

function rangeOf(query: ReportQuery, now: Date): { from: string; to: string; days: string[] } {
  const to = query.to ?? dayOf(now);
  const from = query.from ?? dayOf(new Date(Date.parse(to) - 29 * DAY_MS));
  const count = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (count < 1) throw new BadRequest('`from` must not be after `to`.');
  if (count > maxDays) throw new BadRequest(`A range covers at most ${maxDays} days.`);
  const days = Array.from({ length: count }, (_, i) => dayOf(new Date(Date.parse(from) + i * DAY_MS)));
  return { from, to, days };
}

/** The tallies of one measure for the member's Pages (or the one asked for), by the index's leading fields. */
async function talliesOf(
  member: Member,
  measure: ComplianceMeasure,
  query: ReportQuery,
  range: { from: string; to: string },
) {
  const visible = await visiblePageIds(member.workspaceId, member);
  if (query.pageId && !visible.includes(query.pageId)) throw new NotFound('No such Page.');
  const pages = (query.pageId ? [query.pageId] : visible).map((id) => new Types.ObjectId(id));
  return ComplianceTallyModel.find({
    workspace: new Types.ObjectId(member.workspaceId),
    measure,
    day: { $gte: range.from, $lte: range.to },
    page: { $in: pages },
  })
    .select({ day: 1, reason: 1, source: 1, description: 1, count: 1 })
    .lean();
}

export interface RefusalGroup {
  /** `policy:<code>` or `meta:<outcome>[:<Meta code>]`. */
  reason: string;
  by: 'policy' | 'meta';
  code: string;
  metaCode: number | null;
  description: string;
  count: number;
  bySource: Record<string, number>;
}

/** Refused and failed sends over the range, grouped by reason, most frequent first. */
export async function refusalReport(member: Member, query: ReportQuery, clock: Clock) {
  const range = rangeOf(query, clock.now());
  const groups = new Map<string, RefusalGroup>();
  for (const tally of await talliesOf(member, 'refusal', query, range)) {
    const [by, code = '', metaCode] = tally.reason.split(':');
    const group = groups.get(tally.reason) ?? {
      reason: tally.reason,
      by: by === 'policy' ? 'policy' : 'meta',
      code,
      metaCode: metaCode ? Number(metaCode) : null,
      description: tally.description,
      count: 0,
      bySource: {},
    };
    group.count += tally.count;
    group.bySource[tally.source] = (group.bySource[tally.source] ?? 0) + tally.count;
    groups.set(tally.reason, group);
  }
  const data = [...groups.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  return { from: range.from, to: range.to, data, total: data.reduce((sum, group) => sum + group.count, 0) };
}

/** Opt-ins and opt-outs per day over the range (every day listed, zeros included), and by way over the range. */
export async function consentReport(member: Member, query: ReportQuery, clock: Clock) {
  const range = rangeOf(query, clock.now());
  const [optIns, optOuts] = await Promise.all([
    talliesOf(member, 'opt_in', query, range),
    talliesOf(member, 'opt_out', query, range),
  ]);
  const perDay = new Map(range.days.map((day) => [day, { day, optIns: 0, optOuts: 0 }]));
  const byWay = { optIns: {} as Record<string, number>, optOuts: {} as Record<string, number> };
  for (const [tallies, field] of [
    [optIns, 'optIns'],
    [optOuts, 'optOuts'],
  ] as const) {
    for (const tally of tallies) {
      const day = perDay.get(tally.day);
      if (day) day[field] += tally.count;
      byWay[field][tally.reason] = (byWay[field][tally.reason] ?? 0) + tally.count;
    }
  }
  const days = [...perDay.values()];
  return {
    from: range.from,
    to: range.to,
    days,
    totals: {
      optIns: days.reduce((sum, day) => sum + day.optIns, 0),
      optOuts: days.reduce((sum, day) => sum + day.optOuts, 0),
    },
    byWay,
  };
}
