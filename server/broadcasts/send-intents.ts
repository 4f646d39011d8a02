import type { BroadcastBatchMember } from '../../models/broadcast-batch';
import { BroadcastSendClaimModel, claimIdOf } from '../../models/broadcast-send-claim';
import { BroadcastSendIntentModel } from '../../models/broadcast-send-intent';
import { isDuplicateKey } from '../platform/database/duplicate-key';

/**
 * Members whose intent is written together. A worker killed mid-batch leaves at most the chunk it was in, the chunks
 * written ahead (see below) and the answers it had not recorded `unknown`; smaller chunks cost more writes.
 */
const intentChunk = 10;

/**
 * The intent to send, written before a member's message goes to Meta: a duplicate promotional message is worse than
 * a missing one, so a takeover must know which sends of a dead worker may have gone out. One insert per chunk of
 * members; only the claim's own worker writes them.
 *
 * A send waits for its intent inside its turn with the Page's governor, and the turn holds a place in the Page's
 * per-second window until a second after Meta answers (per-second-window.ts): a write waited for there costs the
 * Page rate. So a member's chunk is written once the governor counts it among the Page's next sends (a fifth of a
 * second of them, at most ten: `prepareAhead`), and when a chunk's first member starts the next chunk's intent is
 * written too: by the time a member's turn comes its intent is on record. Before the governor prepared ahead, three
 * sends in ten waited for their chunk in their turn, about 45 ms each, at ten Pages × 50/s on this machine.
 */
export function createSendIntents(claimId: string, members: BroadcastBatchMember[]) {
  const written = new Map<number, Promise<void>>();
  const chunks = Math.ceil(members.length / intentChunk);

  function write(chunk: number): Promise<void> {
    let writing = written.get(chunk);
    if (!writing) {
      const recipients = members
        .slice(chunk * intentChunk, (chunk + 1) * intentChunk)
        .map((member) => member.recipient);
      const intent = { _id: `${claimId}:${chunk}`, claim: claimId, recipients };
      writing = BroadcastSendIntentModel.insertMany([intent], { lean: true }).then(
        () => undefined,
        (error: unknown) => {
          // An insert that reached the database before its connection failed: the intent is there.
          if (isDuplicateKey(error)) return;
          // A failed write fails only its own chunk's sends (they stay pending); the next send of it writes anew.
          written.delete(chunk);
          throw error;
        },
      );
      written.set(chunk, writing);
    }
    return writing;
  }

  return {
    /** Resolves once `members[index]` is in the claim's intent; rejects if that could not be written. */
    beforeSending(index: number): Promise<void> {
      const chunk = Math.floor(index / intentChunk);
      const own = write(chunk);
      // Its own failure reaches the member whose turn it is; here it is only started early.
      if (chunk + 1 < chunks) write(chunk + 1).catch(() => undefined);
      return own;
    },
  };
}

/**
 * The recipients earlier claims of a batch may have sent without recording an answer: their workers died (or fell
 * behind their lease) after writing the intent. A claim let go by its living worker (`settled`) has none.
 */
export async function unansweredIntents(batchId: string, attempt: number): Promise<Set<string>> {
  const earlier = await Promise.all(
    Array.from({ length: attempt - 1 }, async (_, i) => {
      const claimId = claimIdOf(batchId, i + 1);
      const claim = await BroadcastSendClaimModel.findById(claimId).select({ settled: 1 }).lean();
      if (claim?.settled) return [];
      const intents = await BroadcastSendIntentModel.find({ claim: claimId })
        .select({ recipients: 1 })
        .lean();
      return intents.flatMap((intent) => intent.recipients);
    }),
  );
  return new Set(earlier.flat().map((recipient) => recipient.toString()));
}
