import type { AdjustableClock } from '../platform/clock';
import type { PersonMessage, SimulatorControl } from './simulator-control';

export interface SandboxWorld {
  enabled: true;
  simulatorUrl: string;
  /** The app's time, which the sandbox moves with the simulator's. */
  now: string;
  people: { id: string; name: string }[];
  pages: { id: string; name: string }[];
  posts: { id: string; pageId: string; message: string | null; createdAt: string }[];
}

export type SandboxService = ReturnType<typeof createSandboxService>;

/** Acting as the simulator's people and moving time, for the dashboard's sandbox panel. */
export function createSandboxService(deps: {
  simulator: SimulatorControl;
  simulatorUrl: string;
  clock: AdjustableClock;
}) {
  const { simulator, simulatorUrl, clock } = deps;

  return {
    async describe(): Promise<SandboxWorld> {
      const info = await simulator.info();
      const posts = (await Promise.all(info.pages.map((page) => simulator.posts(page.id)))).flat();
      return {
        enabled: true,
        simulatorUrl,
        now: clock.now().toISOString(),
        people: info.people.map(({ id, name }) => ({ id, name })),
        pages: info.pages.map(({ id, name }) => ({ id, name })),
        posts: posts
          .filter((post) => !post.deleted)
          .map(({ id, pageId, message, createdAt }) => ({
            id,
            pageId,
            message,
            createdAt: new Date(createdAt).toISOString(),
          })),
      };
    },

    sendMessage: (personId: string, pageId: string, message: PersonMessage) =>
      simulator.sendMessage(personId, pageId, message),

    comment: (personId: string, postId: string, message: string) =>
      simulator.comment(personId, postId, message),

    createPost: (pageId: string, message: string) => simulator.createPost(pageId, message),

    /** The simulator first: if it refuses, neither clock has moved. */
    async advanceClock(ms: number): Promise<{ now: string; simulatorNow: string }> {
      const simulatorNow = await simulator.advanceClock(ms);
      clock.advance(ms);
      return { now: clock.now().toISOString(), simulatorNow: new Date(simulatorNow).toISOString() };
    },

    /**
     * Moves the app's clock up to the simulator's, which keeps the time it was moved to when the app alone restarts
     * (npm run dev). Never back: time going backwards would confuse every rule that reads it.
     */
    async catchUpWithSimulator(): Promise<void> {
      const behindMs = (await simulator.now()) - clock.now().getTime();
      if (behindMs > 0) clock.advance(behindMs);
    },
  };
}
