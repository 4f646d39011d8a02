import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * The Messenger Profile budget of a Facebook Page: Meta allows 10 calls per 10 minutes per Page, so a Page has ten
 * slots, each holding the time of the call that last took it. A call takes a slot never used (an insert against the
 * unique key) or one whose call is over 10 minutes old (a conditional update): either is atomic, so ten calls at most
 * go in any 10 minutes, across restarts and processes.
 */
const botProfileSlotSchema = new Schema({
  fbPageId: { type: String, required: true },
  slot: { type: Number, required: true, min: 0 },
  at: { type: Date, required: true },
});

botProfileSlotSchema.index({ fbPageId: 1, slot: 1 }, { unique: true });

export type BotProfileSlot = InferSchemaType<typeof botProfileSlotSchema>;
export const BotProfileSlotModel = model('BotProfileSlot', botProfileSlotSchema);
