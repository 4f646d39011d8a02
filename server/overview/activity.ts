import type { Types } from 'mongoose';
import { MessageModel } from '../../models/message';
import { zeroPerDay, type LocalDays } from './local-days';

export interface ActivityDay {
  day: string;
  /** Conversations with at least one message to or from the person that day. */
  conversations: number;
  /** Messages from people. */
  received: number;
  /** Messages to people: agents, the bot, broadcasts and captures alike. */
  sent: number;
}

/** Messages and the conversations they were in, per day; internal notes are not messages to anyone. */
export async function activityPerDay(pages: Types.ObjectId[], range: LocalDays): Promise<ActivityDay[]> {
  const conversations = new Map(range.days.map((day) => [day, new Set<string>()]));
  const received = zeroPerDay(range);
  const sent = zeroPerDay(range);
  const messages = MessageModel.find({
    page: { $in: pages },
    occurredAt: { $gte: range.from, $lt: range.to },
  })
    .select({ occurredAt: 1, conversation: 1, direction: 1 })
    .lean()
    .cursor({ batchSize: 1_000 });
  for await (const message of messages) {
    if (message.direction === 'internal') continue;
    const day = range.dayOf(message.occurredAt);
    conversations.get(day)?.add(String(message.conversation));
    const counts = message.direction === 'inbound' ? received : sent;
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  return range.days.map((day) => ({
    day,
    conversations: conversations.get(day)!.size,
    received: received.get(day)!,
    sent: sent.get(day)!,
  }));
}
