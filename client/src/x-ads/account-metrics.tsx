import type { XAdsAccountMetrics, XAdsDay } from '../api/x-ads';
import { LineChart } from '../charts/line-chart';
import { dayLabel } from '../overview/figures';
import { KeyFigures } from '../overview/key-figures';

const colours = ['#1f5fd6', '#0f766e', '#c2410c', '#7c3aed', '#be123c', '#4d7c0f'];
const colour = (i: number) => colours[i % colours.length]!;

const sum = (days: XAdsDay[], figure: (day: XAdsDay) => number) =>
  days.reduce((total, day) => total + figure(day), 0);

const axis = (days: XAdsDay[]) => ({
  firstLabel: dayLabel(days[0]!.day),
  lastLabel: dayLabel(days.at(-1)!.day),
});

/** An ads account's daily results: the account's impressions, engagements and clicks, then each campaign's. */
export function AccountMetrics({ metrics }: { metrics: XAdsAccountMetrics }) {
  const { account, campaigns, currency } = metrics;
  const money = new Intl.NumberFormat(undefined, { style: 'currency', currency });
  if (account.length === 0 && campaigns.length === 0)
    return <p className="text-sm text-slate-600">No metrics pulled yet.</p>;
  return (
    <div className="space-y-4">
      {account.length > 0 && (
        <div role="group" aria-label={`${metrics.name}: the account per day`} className="space-y-2">
          <KeyFigures
            items={[
              { label: 'Impressions', value: sum(account, (day) => day.impressions).toLocaleString() },
              { label: 'Clicks', value: sum(account, (day) => day.clicks).toLocaleString() },
              { label: 'Spent', value: money.format(sum(account, (day) => day.billedCharge)) },
            ]}
          />
          <LineChart
            {...axis(account)}
            summary={`${metrics.name} per day over ${account.length} days: ${account
              .map(
                (day) =>
                  `${dayLabel(day.day)} ${day.impressions} impressions, ${day.engagements} engagements, ${day.clicks} clicks`,
              )
              .join('; ')}.`}
            series={[
              {
                name: 'Impressions',
                colour: colour(0),
                values: account.map((day) => day.impressions),
                figure: sum(account, (day) => day.impressions).toLocaleString(),
              },
              {
                name: 'Engagements',
                colour: colour(1),
                values: account.map((day) => day.engagements),
                figure: sum(account, (day) => day.engagements).toLocaleString(),
              },
              {
                name: 'Clicks',
                colour: colour(2),
                values: account.map((day) => day.clicks),
                figure: sum(account, (day) => day.clicks).toLocaleString(),
              },
            ]}
          />
        </div>
      )}
      {campaigns.length > 0 && campaigns[0]!.days.length > 0 && (
        <div
          role="group"
          aria-label={`${metrics.name}: impressions per campaign per day`}
          className="space-y-2"
        >
          <p className="text-sm font-medium">Impressions per campaign</p>
          <LineChart
            {...axis(campaigns[0]!.days)}
            summary={`Impressions per day: ${campaigns
              .map(
                (campaign) =>
                  `${campaign.name} ${campaign.days.map((day) => `${dayLabel(day.day)} ${day.impressions}`).join(', ')}`,
              )
              .join('; ')}.`}
            series={campaigns.map((campaign, i) => ({
              name: campaign.name,
              colour: colour(i),
              values: campaign.days.map((day) => day.impressions),
              figure: `${sum(campaign.days, (day) => day.impressions).toLocaleString()} impressions, ${money.format(
                sum(campaign.days, (day) => day.billedCharge),
              )}`,
            }))}
          />
        </div>
      )}
    </div>
  );
}
