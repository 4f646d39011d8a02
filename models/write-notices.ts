import { EventEmitter } from 'node:events';
import type { Schema } from 'mongoose';

/**
 * Tells readers that keep copies (server/platform/process-cache.ts) about writes through a model:
 * `modelWrites.on(collection, ...)` fires after every write the model makes in this process, whichever module makes
 * it, and for the other processes' writes when a relay passes them on (server/platform/write-notice-relay.ts).
 */
export const modelWrites = new EventEmitter();
modelWrites.setMaxListeners(0);

/** This process's own writes only (`'write'`, collection): what a relay passes on to the other processes. */
export const ownModelWrites = new EventEmitter();

const updates = ['updateOne', 'updateMany', 'findOneAndUpdate', 'findOneAndReplace', 'replaceOne'] as const;
const deletes = ['deleteOne', 'deleteMany', 'findOneAndDelete'] as const;

/** The collections whose updates are announced (every `announceWrites` without `deletesOnly`). */
const updatesAnnounced = new Set<string>();

const announce = (collection: string) => {
  modelWrites.emit(collection);
  ownModelWrites.emit('write', collection);
};

/** An update sent past the model (server/platform/database/direct-update.ts), announced as the model would. */
export function noticeDirectUpdate(collection: string): void {
  if (updatesAnnounced.has(collection)) announce(collection);
}

/** Announces the model's writes under `collection`; `deletesOnly` for readers that copy only what never changes. */
export function announceWrites(schema: Schema, collection: string, { deletesOnly = false } = {}): void {
  const announceOwn = () => announce(collection);
  schema.post(deletesOnly ? [...deletes] : [...updates, ...deletes], announceOwn);
  schema.post('deleteOne', { document: true, query: false }, announceOwn);
  if (deletesOnly) return;
  updatesAnnounced.add(collection);
  schema.post('save', announceOwn);
  schema.post('insertMany', announceOwn);
  schema.post('bulkWrite', announceOwn);
}
