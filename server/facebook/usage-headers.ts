import { z } from 'zod';

/** Response headers as axios hands them over; only string values are read. */
export type HeaderSource = Record<string, unknown>;

/** Percentages of a limit used, as Meta reports them (throttling starts when any reaches 100). */
export interface UsageNumbers {
  callCount: number;
  totalCputime: number;
  totalTime: number;
}

export interface BusinessUseCaseUsage extends UsageNumbers {
  /** The use case the limit belongs to, e.g. `messenger` or `pages`. */
  type: string;
  /** Meta's `estimated_time_to_regain_access`, converted from minutes. */
  regainAccessMs: number;
}

/** What the last Graph answer for a Page said about how close it is to its limits. */
export interface PageUsage {
  /** The highest percentage among the Page's use cases and the app's own usage. */
  highestPercent: number;
  /** The longest wait Meta announced before the Page regains access; 0 when not throttled. */
  regainAccessMs: number;
  businessUseCases: BusinessUseCaseUsage[];
  app?: UsageNumbers;
}

const percent = z.coerce.number().catch(0);

const usageNumbersSchema = z.object({
  call_count: percent,
  total_cputime: percent,
  total_time: percent,
});

const businessUseCaseSchema = usageNumbersSchema.extend({
  type: z.string().catch('unknown'),
  estimated_time_to_regain_access: percent,
});

const businessUseCaseHeaderSchema = z.record(z.string(), z.array(businessUseCaseSchema));

/** Meta announces `estimated_time_to_regain_access` in minutes; tests pass a shorter minute to wait less. */
export const metaMinuteMs = 60_000;

function jsonHeader(headers: HeaderSource, name: string): unknown {
  const value = headers[name];
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function toUsageNumbers(raw: z.infer<typeof usageNumbersSchema>): UsageNumbers {
  return { callCount: raw.call_count, totalCputime: raw.total_cputime, totalTime: raw.total_time };
}

/** The `x-business-use-case-usage` header, per Page id (Meta keys it by the business object the call touched). */
function parseBusinessUseCaseUsage(
  headers: HeaderSource,
  minuteMs: number,
): Map<string, BusinessUseCaseUsage[]> {
  const parsed = businessUseCaseHeaderSchema.safeParse(jsonHeader(headers, 'x-business-use-case-usage'));
  const byPage = new Map<string, BusinessUseCaseUsage[]>();
  if (!parsed.success) return byPage;
  for (const [pageId, entries] of Object.entries(parsed.data)) {
    byPage.set(
      pageId,
      entries.map((entry) => ({
        ...toUsageNumbers(entry),
        type: entry.type,
        regainAccessMs: entry.estimated_time_to_regain_access * minuteMs,
      })),
    );
  }
  return byPage;
}

/** The `x-app-usage` header: the app's own platform limit, which throttles every Page at once. */
function parseAppUsage(headers: HeaderSource): UsageNumbers | undefined {
  const parsed = usageNumbersSchema.safeParse(jsonHeader(headers, 'x-app-usage'));
  return parsed.success ? toUsageNumbers(parsed.data) : undefined;
}

function highestOf(numbers: UsageNumbers): number {
  return Math.max(numbers.callCount, numbers.totalCputime, numbers.totalTime);
}

function pageUsageOf(businessUseCases: BusinessUseCaseUsage[], app: UsageNumbers | undefined): PageUsage {
  const highestPercent = Math.max(0, ...businessUseCases.map(highestOf), app ? highestOf(app) : 0);
  const regainAccessMs = Math.max(0, ...businessUseCases.map((entry) => entry.regainAccessMs));
  return app
    ? { highestPercent, regainAccessMs, businessUseCases, app }
    : { highestPercent, regainAccessMs, businessUseCases };
}

/**
 * Usage per Page from one Graph answer. The Page the call was made for gets an entry even when only `x-app-usage`
 * came back, because the app's limit throttles that Page too.
 */
export function parsePageUsages(
  headers: HeaderSource,
  callPageId?: string,
  minuteMs = metaMinuteMs,
): Map<string, PageUsage> {
  const app = parseAppUsage(headers);
  const usages = new Map<string, PageUsage>();
  for (const [pageId, entries] of parseBusinessUseCaseUsage(headers, minuteMs))
    usages.set(pageId, pageUsageOf(entries, app));
  if (callPageId !== undefined && !usages.has(callPageId) && app)
    usages.set(callPageId, pageUsageOf([], app));
  return usages;
}

/**
 * Meta's estimated time to regain access, from `x-business-use-case-usage`: for the given Page when it is listed,
 * else the longest announced for any Page in the header. 0 when the header announces none.
 */
export function regainAccessMsFrom(headers: HeaderSource, pageId?: string, minuteMs = metaMinuteMs): number {
  const byPage = parseBusinessUseCaseUsage(headers, minuteMs);
  const entries =
    pageId !== undefined && byPage.has(pageId) ? (byPage.get(pageId) ?? []) : [...byPage.values()].flat();
  return Math.max(0, ...entries.map((entry) => entry.regainAccessMs));
}
