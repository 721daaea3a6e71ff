import { describe, expect, it } from "vitest";
import { SerialQueue } from "./save-queue";

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("SerialQueue", () => {
  it("runs tasks one at a time, in order", async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const first = deferred();
    const a = queue.push(async () => {
      log.push("a:start");
      await first.promise;
      log.push("a:end");
    });
    const b = queue.push(async () => {
      log.push("b");
    });
    await Promise.resolve();
    expect(log).toEqual(["a:start"]);
    expect(queue.size).toBe(2);
    first.resolve();
    await Promise.all([a, b]);
    expect(log).toEqual(["a:start", "a:end", "b"]);
    expect(queue.size).toBe(0);
  });

  it("keeps going after a task fails, and reports the failure to its caller", async () => {
    const queue = new SerialQueue();
    const failed = queue.push(() => Promise.reject(new Error("disk")));
    const next = queue.push(() => Promise.resolve(42));
    await expect(failed).rejects.toThrow("disk");
    await expect(next).resolves.toBe(42);
  });

  it("resolves idle() once everything pushed has finished", async () => {
    const queue = new SerialQueue();
    await queue.idle();
    const gate = deferred();
    let done = false;
    void queue.push(() => gate.promise).then(() => (done = true));
    const idle = queue.idle();
    gate.resolve();
    await idle;
    expect(done).toBe(true);
    expect(queue.size).toBe(0);
  });
});
