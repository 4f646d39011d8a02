import type { Job } from 'agenda';

/**
 * A job a feature contributes. Names are `feature:action`; handlers are idempotent (safe to run twice), because a
 * job whose worker died is run again once its lock expires.
 */
export interface JobDefinition<Data = unknown> {
  name: `${string}:${string}`;
  /** How long a running job holds its lock before another worker may take it over. Choose it on purpose. */
  lockLifetimeMs: number;
  concurrency?: number;
  handle(data: Data, job: Job<Data>): Promise<void>;
  /**
   * The process is stopping: running handlers should finish what they started, leave the rest for another worker
   * (scheduling it if they must), and return. A handler without it runs until the runner's drain timeout, after
   * which its job is handed back to run again elsewhere.
   */
  interrupt?(): void;
}

export class JobRegistry {
  private readonly definitions = new Map<string, JobDefinition<never>>();

  add<Data>(definition: JobDefinition<Data>): this {
    if (this.definitions.has(definition.name)) throw new Error(`job ${definition.name} is registered twice`);
    this.definitions.set(definition.name, definition as JobDefinition<never>);
    return this;
  }

  all(): JobDefinition<unknown>[] {
    return [...this.definitions.values()] as JobDefinition<unknown>[];
  }
}
