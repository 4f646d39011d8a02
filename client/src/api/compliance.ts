import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { get } from './http';

/** One automated (or member's) action with its consent basis, as GET /api/audit answers it. */
export interface AuditEntry {
  id: string;
  at: string;
  pageId: string | null;
  actor: { kind: 'user' | 'system' | 'job' | 'person' | 'meta' | 'api-key'; id: string };
  action: string;
  object: { kind: string; id: string };
  basis: string;
  details: Record<string, unknown> | null;
}

export interface AuditFilter {
  pageId: string;
  action: string;
  actorKind: string;
  from: string;
  to: string;
  objectId: string;
}

export interface RefusalGroup {
  reason: string;
  by: 'policy' | 'meta';
  code: string;
  metaCode: number | null;
  description: string;
  count: number;
  bySource: Record<string, number>;
}

export interface ConsentDays {
  from: string;
  to: string;
  days: { day: string; optIns: number; optOuts: number }[];
  totals: { optIns: number; optOuts: number };
}

/** The filter as a query string: empty fields are left out, as the server expects. */
function auditQuery(filter: AuditFilter): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value.trim()) query.set(key, value.trim());
  return query;
}

/** Where the Export CSV link points: the same filters, the whole log. */
export const auditExportUrl = (filter: AuditFilter) => `/api/audit/export?${auditQuery(filter).toString()}`;

export function useAuditLog(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: ['audit', filter],
    queryFn: ({ pageParam }) => {
      const query = auditQuery(filter);
      query.set('limit', '50');
      if (pageParam) query.set('cursor', pageParam);
      return get<{ data: AuditEntry[]; nextCursor: string | null }>(`/api/audit?${query.toString()}`);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

const pageQuery = (pageId: string) => (pageId ? `?pageId=${encodeURIComponent(pageId)}` : '');

export function useRefusals(pageId: string) {
  return useQuery({
    queryKey: ['compliance', 'refusals', pageId],
    queryFn: () =>
      get<{ from: string; to: string; data: RefusalGroup[]; total: number }>(
        `/api/compliance/refusals${pageQuery(pageId)}`,
      ),
  });
}

export function useConsentDays(pageId: string) {
  return useQuery({
    queryKey: ['compliance', 'opt-outs', pageId],
    queryFn: () => get<ConsentDays>(`/api/compliance/opt-outs${pageQuery(pageId)}`),
  });
}
