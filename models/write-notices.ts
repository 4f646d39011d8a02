import { EventEmitter } from 'node:events';
import type { Schema } from 'mongoose';

/**
 * Tells this process about writes through a model whose readers keep copies (server/platform/process-cache.ts):
 * `modelWrites.on(collection, ...)` fires after every write the model makes, whichever module makes it. Writes made
 * by other processes are not seen here; the copies' lifetime bounds how long those go unnoticed.
 */
export const modelWrites = new EventEmitter();
modelWrites.setMaxListeners(0);

const updates = ['updateOne', 'updateMany', 'findOneAndUpdate', 'findOneAndReplace', 'replaceOne'] as const;
const deletes = ['deleteOne', 'deleteMany', 'findOneAndDelete'] as const;

/** Announces the model's writes under `collection`; `deletesOnly` for readers that copy only what never changes. */
export function announceWrites(schema: Schema, collection: string, { deletesOnly = false } = {}): void {
  const announce = () => void modelWrites.emit(collection);
  schema.post(deletesOnly ? [...deletes] : [...updates, ...deletes], announce);
  schema.post('deleteOne', { document: true, query: false }, announce);
  if (deletesOnly) return;
  schema.post('save', announce);
  schema.post('insertMany', announce);
  schema.post('bulkWrite', announce);
}
