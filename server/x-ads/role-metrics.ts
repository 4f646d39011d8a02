/** Which metrics Pagewire reads from an ads account. */
export const xAdsMetricKinds = ['campaign', 'account'] as const;
export type XAdsMetricKind = (typeof xAdsMetricKinds)[number];

/**
 * The one table of what an ads-account role lets Pagewire offer and pull: X's permission (as
 * GET accounts/:id/authenticated_user_access names it), the name X's dashboard shows, and the metrics. Roles that
 * cannot see campaigns (Organic Analyst, Partner Audience Manager) and Tweet Composer alone see none.
 */
export const xAdsRoles = [
  { permission: 'ACCOUNT_ADMIN', label: 'Account Administrator', metrics: ['campaign', 'account'] },
  { permission: 'AD_MANAGER', label: 'Ad Manager', metrics: ['campaign', 'account'] },
  { permission: 'CREATIVE_MANAGER', label: 'Creative Manager', metrics: ['campaign', 'account'] },
  { permission: 'CAMPAIGN_ANALYST', label: 'Campaign Analyst', metrics: ['campaign', 'account'] },
  { permission: 'ANALYST', label: 'Organic Analyst', metrics: [] },
  { permission: 'PARTNER_AUDIENCE_MANAGER', label: 'Partner Audience Manager', metrics: [] },
  { permission: 'TWEET_COMPOSER', label: 'Tweet Composer', metrics: [] },
] as const satisfies readonly { permission: string; label: string; metrics: readonly XAdsMetricKind[] }[];

/** The metrics a person holding these permissions may be offered: the union over their roles. */
export function metricsOffered(permissions: readonly string[]): XAdsMetricKind[] {
  const offered = new Set<XAdsMetricKind>();
  for (const role of xAdsRoles) {
    if (permissions.includes(role.permission)) for (const kind of role.metrics) offered.add(kind);
  }
  return xAdsMetricKinds.filter((kind) => offered.has(kind));
}

/** X's permission names as people read them; an unknown one is shown as X sent it. */
export const roleLabels = (permissions: readonly string[]): string[] =>
  permissions.map(
    (permission) => xAdsRoles.find((role) => role.permission === permission)?.label ?? permission,
  );
