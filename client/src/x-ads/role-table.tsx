import { useXAdsRoles, type XAdsMetricKind, type XAdsRole } from '../api/x-ads';

const metricWords: Record<XAdsMetricKind, string> = {
  campaign: 'campaign metrics',
  account: 'account metrics',
};

/** What a role lets Pagewire read, in words: "campaign and account metrics", or "nothing". */
export const readsWords = (metrics: readonly XAdsMetricKind[]) =>
  metrics.length === 0 ? 'nothing' : metrics.map((kind) => metricWords[kind]).join(' and ');

/** The roles that let Pagewire read metrics, as a list in words ("A, B or C"). */
export function rolesThatRead(roles: readonly XAdsRole[]): string {
  const names = roles.filter((role) => role.metrics.length > 0).map((role) => role.label);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '');
}

/** The server's one table of X's ads-account roles and what each lets Pagewire read. */
export function RoleTable() {
  const roles = useXAdsRoles();
  return (
    <details className="rounded-md border border-slate-200 bg-white p-4">
      <summary className="cursor-pointer text-lg font-medium">
        What each X Ads role lets Pagewire read
      </summary>
      {roles.isError && <p className="text-red-700">{roles.error.message}</p>}
      <table className="mt-3 w-full text-left text-sm">
        <thead>
          <tr className="border-b border-slate-200">
            <th scope="col" className="py-1 pr-3">
              Role on the ads account
            </th>
            <th scope="col" className="py-1">
              Pagewire reads
            </th>
          </tr>
        </thead>
        <tbody>
          {roles.data?.map((role) => (
            <tr key={role.permission} className="border-b border-slate-100">
              <td className="py-1 pr-3">{role.label}</td>
              <td className="py-1">{readsWords(role.metrics)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
