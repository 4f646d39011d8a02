import { Types } from 'mongoose';
import { SubscriberModel } from '../../models/subscriber';

/**
 * How many people are subscribed to each Page, counted when the Page is read. A count cannot drift the way a stored
 * counter can (a redelivered opt-out, a crash between two writes); one count per Page uses the
 * `{ page, status, lastInteractionAt }` index, and a workspace lists a handful of Pages.
 */
export async function countSubscribedPeople(
  workspaceId: string,
  pageIds: string[],
): Promise<Map<string, number>> {
  const counts = await Promise.all(
    pageIds.map((pageId) =>
      SubscriberModel.countDocuments({
        page: new Types.ObjectId(pageId),
        workspace: new Types.ObjectId(workspaceId),
        status: 'subscribed',
      }),
    ),
  );
  return new Map(pageIds.map((pageId, index) => [pageId, counts[index] ?? 0]));
}
