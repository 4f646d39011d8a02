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

/** Announces the model's writes under `collection`; `deletesOnly` for readers that copy only what never changes. */
export function announceWrites(schema: Schema, collection: string, { deletesOnly = false } = {}): void {
  const announce = () => {
    modelWrites.emit(collection);
    ownModelWrites.emit('write', collection);
  };
  schema.post(deletesOnly ? [...deletes] : [...updates, ...deletes], announce);
  schema.post('deleteOne', { document: true, query: false }, announce);
  if (deletesOnly) return;
  schema.post('save', announce);
  schema.post('insertMany', announce);
  schema.post('bulkWrite', announce);
}
