import type { Types } from 'mongoose';
import type { BroadcastBatchMember } from '../../models/broadcast-batch';
import { BroadcastSendClaimModel, claimIdOf } from '../../models/broadcast-send-claim';

/**
 * Members whose intent is written together, when the first of them is about to go. A worker killed mid-batch leaves
 * at most the chunk it was in (and the answers it had not recorded) `unknown`; smaller chunks cost more writes.
 */
const intentChunk = 10;

/**
 * The intent to send, written on the claim before a member's message goes to Meta: a duplicate promotional message
 * is worse than a missing one, so a takeover must know which sends of a dead worker may have gone out. One write
 * per chunk of members, in the order the Page's governor lets them go; only the claim's own worker writes it.
 */
export function createSendIntents(claimId: string, members: BroadcastBatchMember[]) {
  const written = new Map<number, Promise<void>>();
  let writing: Promise<unknown> = Promise.resolve();
  return {
    /** Resolves once `members[index]` is in the claim's intent; rejects if that could not be written. */
    beforeSending(index: number): Promise<void> {
      const chunk = Math.floor(index / intentChunk);
      let write = written.get(chunk);
      if (!write) {
        const recipients = members
          .slice(chunk * intentChunk, (chunk + 1) * intentChunk)
          .map((member) => member.recipient);
        write = writing.then(async () => {
          await BroadcastSendClaimModel.updateOne(
            { _id: claimId },
            { $push: { intent: { $each: recipients } } },
          );
        });
        // A failed write fails only its own chunk's sends (they stay pending); the next chunk writes anew.
        writing = write.catch(() => written.delete(chunk));
        written.set(chunk, write);
      }
      return write;
    },
  };
}

/**
 * The recipients earlier claims of a batch may have sent without recording an answer: their workers died (or fell
 * behind their lease) after writing the intent. A claim let go by its living worker (`settled`) has none.
 */
export async function unansweredIntents(batchId: string, attempt: number): Promise<Set<string>> {
  const earlier = await Promise.all(
    Array.from({ length: attempt - 1 }, (_, i) =>
      BroadcastSendClaimModel.findById(claimIdOf(batchId, i + 1))
        .select({ intent: 1, settled: 1 })
        .lean(),
    ),
  );
  const intended = earlier.flatMap((claim) => (claim?.settled ? [] : (claim?.intent ?? [])));
  return new Set(intended.map((recipient: Types.ObjectId) => recipient.toString()));
}
