import type { SimClock } from '../clock';
import type { XSettings } from './settings';
import type { XState } from './state';

/** What X's routes need: its settings and memory, and the simulator's one clock (advanceTime moves X's too). */
export interface XContext {
  settings: XSettings;
  state: XState;
  clock: SimClock;
}
