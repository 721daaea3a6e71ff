import { describe, expect, it } from "vitest";
import { inFirstOrder } from "./list-order";

const ids = (items: { id: string }[]) => items.map((item) => item.id);

describe("inFirstOrder", () => {
  it("keeps the first order when a reload comes back sorted otherwise", () => {
    const first = inFirstOrder([], [{ id: "a" }, { id: "b" }, { id: "c" }]);
    expect(ids(first.items)).toEqual(["a", "b", "c"]);
    // "c" was just edited: the server now lists it first.
    const again = inFirstOrder(first.order, [{ id: "c" }, { id: "a" }, { id: "b" }]);
    expect(ids(again.items)).toEqual(["a", "b", "c"]);
  });

  it("puts new items first and leaves out the ones gone", () => {
    const { items, order } = inFirstOrder(["a", "b", "c"], [{ id: "c" }, { id: "d" }, { id: "a" }]);
    expect(ids(items)).toEqual(["d", "a", "c"]);
    expect(order).toEqual(["d", "a", "b", "c"]);
  });
});
