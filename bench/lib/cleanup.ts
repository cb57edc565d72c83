interface Task {
  label: string;
  run: () => Promise<void> | void;
}

/**
 * A stack of teardown steps. `run()` drains it last-first, each step once, and a
 * failing step never prevents the next: dropping the database must still happen
 * when stopping a server failed. Concurrent callers (a signal arriving during a
 * normal teardown) share the same drain.
 */
export class Cleanup {
  readonly #tasks: Task[] = [];
  #draining: Promise<void> | undefined;

  defer(label: string, run: Task['run']): void {
    this.#tasks.push({ label, run });
  }

  run(): Promise<void> {
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined;
    });
    return this.#draining;
  }

  async #drain(): Promise<void> {
    for (let task = this.#tasks.pop(); task; task = this.#tasks.pop()) {
      try {
        await task.run();
      } catch (error) {
        console.error(`[bench] cleanup step "${task.label}" failed:`, error instanceof Error ? error.message : error);
      }
    }
  }
}
