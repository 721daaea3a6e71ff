/**
 * Runs async tasks one after another, in the order they were pushed, whatever each
 * one's outcome. Edits to one business go through one queue, so the store sees them
 * in typing order and the last value typed is the one that stays.
 */
export class SerialQueue {
  #tail: Promise<void> = Promise.resolve();
  #size = 0;
  #idle: Array<() => void> = [];

  /** Tasks pushed and not finished yet, including the one running. */
  get size(): number {
    return this.#size;
  }

  push<T>(task: () => Promise<T>): Promise<T> {
    this.#size += 1;
    const result = this.#tail.then(task);
    this.#tail = result.then(
      () => this.#finish(),
      () => this.#finish(),
    );
    return result;
  }

  /** Resolves once every task pushed so far (and any pushed meanwhile) has finished. */
  idle(): Promise<void> {
    if (this.#size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #finish(): void {
    this.#size -= 1;
    if (this.#size === 0) {
      const waiting = this.#idle;
      this.#idle = [];
      for (const resolve of waiting) resolve();
    }
  }
}
