// The bid autosave: every keystroke is stored in order, each answer's totals replace
// the shown ones (the webview computes none), and a failed write keeps what was typed.
import { describe, expect, it } from "vitest";
import type { Api } from "./api";
import type { BidId, BidSaved, BidView, BusinessId, Ocid } from "./bindings";
import { BidSession } from "./bid.svelte";

function view(): BidView {
  return {
    business_id: "b1" as BusinessId,
    id: "bid1" as BidId,
    ocid: "ocds-1" as Ocid,
    title: "Papelería",
    buyer: "Alcaldía",
    deadline: null,
    deadline_local: null,
    seconds_left: null,
    items: [
      {
        id: "1",
        description: "Cuaderno",
        quantity: "2",
        unit: "pieza",
        typed: { offered: "", brand_model: "", delivery: "", warranty: "", unit_price: "", quantity: "" },
        subtotal: null,
      },
    ],
    price_validity_days: "90",
    totals: null,
    documents: [],
    procedure: "licitacion",
    declarations: [],
    issues: [],
    needs_review: false,
    withdrawn: false,
    ready: false,
    result: null,
  };
}

/** Answers each price with Rust's (here: canned) formatted totals, in call order. */
function backend(fail: (value: string) => boolean) {
  const sent: string[] = [];
  const api = {
    setBidItemField: async (_b: string, _id: string, item: string, _f: string, value: string) => {
      sent.push(value);
      if (fail(value)) throw { code: "write_refused", message: "Disco lleno", field: null };
      const saved: BidSaved = {
        line: { item_id: item, subtotal: `$${value}.00 MXN` },
        totals: { subtotal: `$${value}.00 MXN`, iva: "$0.16 MXN", total: "$1.16 MXN", bid_bond: null },
        issues: [],
        tabs: [],
        ready: false,
        saved_at: "2026-11-24T00:00:00Z",
      };
      return saved;
    },
  } as unknown as Api;
  return { api, sent };
}

describe("BidSession", () => {
  it("sends every keystroke in order and shows the last answer's totals", async () => {
    const { api, sent } = backend(() => false);
    const bid = new BidSession(view(), api);
    for (const value of ["1", "12", "123"]) bid.setItemField("1", "unit_price", value);
    expect(bid.saveState).toBe("saving");
    await bid.idle();
    expect(sent).toEqual(["1", "12", "123"]);
    expect(bid.totals?.subtotal).toBe("$123.00 MXN");
    expect(bid.subtotals["1"]).toBe("$123.00 MXN");
    expect(bid.view.items[0]!.typed.unit_price).toBe("123");
    expect(bid.saveState).toBe("saved");
  });

  it("keeps what was typed and says why when a write fails", async () => {
    const { api } = backend((value) => value === "9");
    const bid = new BidSession(view(), api);
    bid.setItemField("1", "unit_price", "9");
    await bid.idle();
    expect(bid.saveState).toBe("error");
    expect(bid.errorMessage).toBe("Disco lleno");
    expect(bid.view.items[0]!.typed.unit_price).toBe("9");
  });
});
