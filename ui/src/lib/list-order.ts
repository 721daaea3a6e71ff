// A list that keeps the order it had when the screen opened: reloading it (a search,
// a language change, a deletion) never moves an item from under the pointer.

/**
 * `found` in the order of `order` (the ids as first shown); ids not seen before go
 * first, in the order they came. Answers the items and the order to keep.
 */
export function inFirstOrder<T extends { id: string }>(
  order: readonly string[],
  found: readonly T[],
): { items: T[]; order: string[] } {
  const known = new Set(order);
  const kept = [...found.filter((item) => !known.has(item.id)).map((item) => item.id), ...order];
  const at = new Map(kept.map((id, index) => [id, index]));
  const items = [...found].sort((a, b) => (at.get(a.id) ?? 0) - (at.get(b.id) ?? 0));
  return { items, order: kept };
}
