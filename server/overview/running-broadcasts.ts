import { Types } from 'mongoose';
import { BroadcastModel } from '../../models/broadcast';
import { hiddenPageIds, type Member } from '../accounts/authorization';
import { totalsOfEach } from '../broadcasts/stats';

/**
 * The workspace's broadcasts sending or paused now, with their totals so far, as the broadcasts list counts them. A
 * broadcast to a Page the member may not see is left out, as in the list; `page` keeps those to one Page.
 */
export async function runningBroadcasts(member: Member, page?: Types.ObjectId) {
  const hidden = (await hiddenPageIds(member)).map((id) => new Types.ObjectId(id));
  const running = await BroadcastModel.find({
    workspace: new Types.ObjectId(member.workspaceId),
    state: { $in: ['sending', 'paused'] },
    ...(hidden.length > 0 ? { pages: { $nin: hidden } } : {}),
  })
    .select({ name: 1, state: 1, pages: 1, startedAt: 1 })
    .sort({ _id: 1 })
    .lean();
  const shown = page ? running.filter((broadcast) => broadcast.pages.some((id) => id.equals(page))) : running;
  const totals = await totalsOfEach(shown.map((broadcast) => broadcast._id));
  return shown.map((broadcast) => ({
    id: String(broadcast._id),
    name: broadcast.name,
    state: broadcast.state,
    pageIds: broadcast.pages.map(String),
    startedAt: broadcast.startedAt?.toISOString() ?? null,
    totals: totals.get(String(broadcast._id))!,
  }));
}
