import { Types } from 'mongoose';
import { XAdsConnectionModel } from '../../models/x-ads-connection';
import { XAdsMetricModel, type XAdsEntity } from '../../models/x-ads-metric';
import type { Member } from '../accounts/authorization';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { XAdsApiError, type DailyStats, type XAdsClient } from './ads-client';
import type { XAdsConnections } from './connections';
import { metricsOffered, roleLabels } from './role-metrics';

const dayMs = 86_400_000;
const statsIdsPerCall = 20;
const writesPerBulk = 50;

export interface XAdsMetricsDeps {
  client: () => XAdsClient;
  connections: XAdsConnections;
  clock: Clock;
  logger: Logger;
  statsDays: number;
}

/**
 * Pulls and serves an X Ads connection's numbers. What is pulled follows the role table (role-metrics.ts) with the
 * roles X reports at each pull, so a role taken away stops the pulls at once.
 */
export function createXAdsMetrics(deps: XAdsMetricsDeps) {
  async function store(
    connectionId: Types.ObjectId,
    accountId: string,
    entity: XAdsEntity,
    stats: DailyStats[],
    days: string[],
    names: Map<string, string>,
  ) {
    const pulledAt = deps.clock.now();
    const writes = stats.flatMap((entry) =>
      days.map((day, i) => ({
        updateOne: {
          filter: { connection: connectionId, entity, entityId: entry.id, day },
          update: {
            $set: {
              accountId,
              entityName: names.get(entry.id) ?? entry.id,
              impressions: entry.impressions[i] ?? 0,
              engagements: entry.engagements[i] ?? 0,
              clicks: entry.clicks[i] ?? 0,
              billedChargeLocalMicro: entry.billedChargeLocalMicro[i] ?? 0,
              pulledAt,
            },
          },
          upsert: true,
        },
      })),
    );
    for (let i = 0; i < writes.length; i += writesPerBulk) {
      await XAdsMetricModel.bulkWrite(writes.slice(i, i + writesPerBulk), { ordered: false });
    }
  }

  /** One pull of one connection: each ads account's roles, then the metrics those roles allow. */
  async function pull(connectionId: string): Promise<void> {
    const connection = await XAdsConnectionModel.findById(connectionId).lean();
    if (!connection || connection.status !== 'active') return;
    const client = deps.client();
    const credentials = await deps.connections.credentialsOf(connectionId);
    const end = Math.floor(deps.clock.now().getTime() / dayMs) * dayMs + dayMs;
    const start = end - deps.statsDays * dayMs;
    const days = Array.from({ length: deps.statsDays }, (_, i) =>
      new Date(start + i * dayMs).toISOString().slice(0, 10),
    );
    const range = { startTime: new Date(start), endTime: new Date(end) };
    try {
      const accounts = [];
      for (const account of connection.accounts) {
        const permissions = await client.permissions(credentials, account.accountId);
        accounts.push({ ...account, permissions });
        const offered = metricsOffered(permissions);
        if (offered.includes('account')) {
          const stats = await client.dailyStats(credentials, account.accountId, {
            entity: 'ACCOUNT',
            entityIds: [account.accountId],
            ...range,
          });
          await store(
            connection._id,
            account.accountId,
            'account',
            stats,
            days,
            new Map([[account.accountId, account.name]]),
          );
        }
        if (offered.includes('campaign')) {
          const campaigns = await client.campaigns(credentials, account.accountId);
          const names = new Map(campaigns.map((campaign) => [campaign.id, campaign.name]));
          for (let i = 0; i < campaigns.length; i += statsIdsPerCall) {
            const stats = await client.dailyStats(credentials, account.accountId, {
              entity: 'CAMPAIGN',
              entityIds: campaigns.slice(i, i + statsIdsPerCall).map((campaign) => campaign.id),
              ...range,
            });
            await store(connection._id, account.accountId, 'campaign', stats, days, names);
          }
        }
      }
      await XAdsConnectionModel.updateOne(
        { _id: connection._id },
        { $set: { accounts, lastPulledAt: deps.clock.now() } },
      );
    } catch (error) {
      if (error instanceof XAdsApiError && error.status === 401) {
        await XAdsConnectionModel.updateOne(
          { _id: connection._id },
          {
            $set: {
              status: 'needs_reconnect',
              statusReason: 'X no longer accepts the token: connect again.',
            },
          },
        );
        deps.logger.warn({ connectionId }, 'X Ads token refused; connection needs reconnecting');
        return;
      }
      throw error;
    }
  }

  /** The numbers the member may see: per ads account, only the kinds the connecting person's roles allow. */
  async function read(member: Member, id: string) {
    const connection = await deps.connections.visible(member, id);
    const rows = await XAdsMetricModel.find({ connection: connection._id }).sort({ day: 1 }).lean();
    return {
      data: connection.accounts.map((account) => {
        const offered = metricsOffered(account.permissions);
        const mine = rows.filter(
          (row) => row.accountId === account.accountId && offered.includes(row.entity),
        );
        const series = (entity: XAdsEntity) => mine.filter((row) => row.entity === entity);
        const dayOf = (row: (typeof rows)[number]) => ({
          day: row.day,
          impressions: row.impressions,
          engagements: row.engagements,
          clicks: row.clicks,
          billedCharge: row.billedChargeLocalMicro / 1_000_000,
        });
        const campaigns = new Map<string, { id: string; name: string; days: ReturnType<typeof dayOf>[] }>();
        for (const row of series('campaign')) {
          const entry = campaigns.get(row.entityId) ?? {
            id: row.entityId,
            name: row.entityName ?? row.entityId,
            days: [],
          };
          entry.days.push(dayOf(row));
          campaigns.set(row.entityId, entry);
        }
        return {
          accountId: account.accountId,
          name: account.name,
          currency: account.currency ?? 'USD',
          roles: roleLabels(account.permissions),
          metricsOffered: offered,
          account: series('account').map(dayOf),
          campaigns: [...campaigns.values()],
        };
      }),
    };
  }

  return { pull, read };
}

export type XAdsMetrics = ReturnType<typeof createXAdsMetrics>;
