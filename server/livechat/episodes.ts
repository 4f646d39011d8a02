import type { Types } from 'mongoose';
import { ConversationEpisodeModel } from '../../models/conversation-episode';
import type { ConversationRecord } from '../../models/conversation';
import { UserModel } from '../../models/user';

/** How many earlier episodes a conversation keeps: the newest, for the contact panel. */
const keptEpisodes = 20;

export interface EpisodeView {
  id: string;
  openedAt: string;
  resolvedAt: string;
  resolvedById: string;
  resolvedByName: string;
  messageCount: number;
}

/**
 * The episode a resolve ended, from the conversation as it stood just before (`ended`, read in the same atomic step
 * as the resolve), then the oldest beyond `keptEpisodes` forgotten.
 */
export async function recordEpisode(
  ended: ConversationRecord,
  resolver: { userId: string },
  resolvedAt: Date,
): Promise<void> {
  const user = await UserModel.findById(resolver.userId, { name: 1 }).lean();
  await ConversationEpisodeModel.create({
    workspace: ended.workspace,
    conversation: ended._id,
    openedAt: ended.openedAt ?? ended.createdAt,
    resolvedAt,
    resolvedBy: resolver.userId,
    resolvedByName: user?.name ?? 'A former member',
    messageCount: ended.episodeMessageCount ?? 0,
  });
  const older = await ConversationEpisodeModel.find({ conversation: ended._id }, { _id: 1 })
    .sort({ resolvedAt: -1, _id: -1 })
    .skip(keptEpisodes)
    .lean();
  if (older.length > 0)
    await ConversationEpisodeModel.deleteMany({ _id: { $in: older.map((episode) => episode._id) } });
}

/** A conversation's earlier episodes, newest first. */
export async function episodesOf(conversationId: Types.ObjectId): Promise<EpisodeView[]> {
  const episodes = await ConversationEpisodeModel.find({ conversation: conversationId })
    .sort({ resolvedAt: -1, _id: -1 })
    .limit(keptEpisodes)
    .lean();
  return episodes.map((episode) => ({
    id: String(episode._id),
    openedAt: episode.openedAt.toISOString(),
    resolvedAt: episode.resolvedAt.toISOString(),
    resolvedById: String(episode.resolvedBy),
    resolvedByName: episode.resolvedByName,
    messageCount: episode.messageCount,
  }));
}
