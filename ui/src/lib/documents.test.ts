// @vitest-environment jsdom
// The checklist page's pure helpers: sizes, badges, the item under the pointer,
// the order on screen, and decoding previews.
import { describe, expect, it } from "vitest";
import type { ChecklistItem, Status } from "./bindings";
import {
  alertMessage,
  cssPoint,
  dataUrlBytes,
  dateSlot,
  docIds,
  formatBytes,
  isReady,
  itemKey,
  itemKeyAt,
  kindsList,
  percentOf,
  stableOrder,
  statusLabel,
  statusTone,
} from "./documents";
import es from "../locales/es.json";

function item(status: Status, days_left: number | null = null): Pick<ChecklistItem, "status" | "days_left"> {
  return { status, days_left };
}

describe("formatBytes", () => {
  it("writes bytes, kilobytes and megabytes as people read them", () => {
    expect(formatBytes(0, "es-MX")).toBe("0 B");
    expect(formatBytes(850, "es-MX")).toBe("850 B");
    expect(formatBytes(1023, "es-MX")).toBe("1023 B");
    expect(formatBytes(1024, "es-MX")).toBe("1 KB");
    expect(formatBytes(1536, "es-MX")).toBe("1.5 KB");
    expect(formatBytes(12 * 1024 + 300, "es-MX")).toBe("12 KB");
    expect(formatBytes(1.4 * 1024 * 1024, "en-US")).toBe("1.4 MB");
    expect(formatBytes(10 * 1024 * 1024, "es-MX")).toBe("10 MB");
    expect(formatBytes(250 * 1024 * 1024, "es-MX")).toBe("250 MB");
  });

  it("moves up a unit instead of writing 1024", () => {
    expect(formatBytes(1024 * 1024 - 1, "es-MX")).toBe("1 MB");
    expect(formatBytes(1024 * 1024 - 20, "es-MX")).toBe("1 MB");
  });

  it("never groups digits and uses the locale's decimal mark", () => {
    expect(formatBytes(1536, "de-DE")).toBe("1,5 KB");
    expect(formatBytes(1000, "en-US")).toBe("1000 B");
  });

  it("shows nothing for nonsense", () => {
    expect(formatBytes(-1, "es-MX")).toBe("");
    expect(formatBytes(Number.NaN, "es-MX")).toBe("");
  });
});

describe("percentOf", () => {
  it("is a whole percent between 0 and 100", () => {
    expect(percentOf(0, 1000)).toBe(0);
    expect(percentOf(333, 1000)).toBe(33);
    expect(percentOf(999, 1000)).toBe(99);
    expect(percentOf(1000, 1000)).toBe(100);
    expect(percentOf(2000, 1000)).toBe(100);
    expect(percentOf(5, 0)).toBe(0);
  });
});

describe("days and dates", () => {
  it("says how many days are left on the badge", () => {
    const soon = { kind: "expiring_soon" } as const;
    expect(statusLabel(item(soon, 3))).toEqual({ key: "docs.status.expiringOther", params: { n: 3 } });
    expect(statusLabel(item(soon, 1))).toEqual({ key: "docs.status.expiringOne" });
    expect(statusLabel(item(soon, 0))).toEqual({ key: "docs.status.expiringToday" });
    expect(statusLabel(item(soon, null))).toEqual({ key: "docs.status.expiringSoon" });
  });

  it("words the home card's alert, amber before and red after the day", () => {
    expect(alertMessage({ valid_until: "2025-11-28", days_left: 3 })).toEqual({
      key: "card.alert.other",
      params: { n: 3, date: "28/11/2025" },
      tone: "warn",
    });
    expect(alertMessage({ valid_until: "2025-11-26", days_left: 1 }).key).toBe("card.alert.one");
    expect(alertMessage({ valid_until: "2025-11-25", days_left: 0 }).key).toBe("card.alert.today");
    expect(alertMessage({ valid_until: "2025-11-20", days_left: -5 })).toEqual({
      key: "card.alert.expired",
      params: { date: "20/11/2025" },
      tone: "error",
    });
  });

  it("asks for the date each validity needs", () => {
    expect(dateSlot("issue")).toBe("issued");
    expect(dateSlot("fiscal_year_end")).toBe("issued");
    expect(dateSlot("expiry")).toBe("expires");
    expect(dateSlot("none")).toBeNull();
  });
});

describe("status badges", () => {
  it("has a label in the catalogue for every status", () => {
    const statuses: Status[] = [
      { kind: "missing" },
      { kind: "attached" },
      { kind: "expiring_soon" },
      { kind: "expired" },
      { kind: "rejected", reason: "Ilegible" },
      { kind: "needs_date", date: "issue" },
      { kind: "date_invalid", problem: "issued_in_future" },
    ];
    for (const status of statuses) {
      expect(statusLabel(item(status, 4)).key in es).toBe(true);
    }
  });

  it("colours what needs doing", () => {
    expect(statusTone({ kind: "attached" }, true)).toBe("ok");
    expect(statusTone({ kind: "missing" }, true)).toBe("pending");
    expect(statusTone({ kind: "missing" }, false)).toBe("neutral");
    expect(statusTone({ kind: "expiring_soon" }, true)).toBe("pending");
    expect(statusTone({ kind: "needs_date", date: "expiry" }, true)).toBe("pending");
    expect(statusTone({ kind: "expired" }, true)).toBe("error");
    expect(statusTone({ kind: "rejected", reason: "" }, false)).toBe("error");
    expect(statusTone({ kind: "date_invalid", problem: "expires_before_issue" }, true)).toBe("error");
  });

  it("counts as ready what can be sent as it is", () => {
    expect(isReady({ kind: "attached" })).toBe(true);
    expect(isReady({ kind: "expiring_soon" })).toBe(true);
    expect(isReady({ kind: "needs_date", date: "issue" })).toBe(false);
    expect(isReady({ kind: "missing" })).toBe(false);
  });

  it("lists the accepted kinds as a choice", () => {
    expect(kindsList(["pdf", "jpeg", "png"], "es-MX")).toBe("PDF, JPG o PNG");
    expect(kindsList(["pdf"], "en-US")).toBe("PDF");
  });
});

describe("item keys and ids", () => {
  it("adds the representative for per-representative items", () => {
    expect(itemKey({ code: "CSF", representative: null })).toBe("CSF");
    expect(itemKey({ code: "ID_OFICIAL", representative: "r2" })).toBe("ID_OFICIAL-r2");
    expect(docIds.attach("ID_OFICIAL-r2")).toBe("attach-ID_OFICIAL-r2");
    expect(docIds.issued("CSF")).toBe("issued-CSF");
    expect(docIds.expires("ID_OFICIAL")).toBe("expires-ID_OFICIAL");
    expect(docIds.preview("CSF")).toBe("preview-CSF");
    expect(docIds.remove("CSF")).toBe("remove-CSF");
  });
});

describe("the item under a dropped file", () => {
  function page(): HTMLElement {
    document.body.innerHTML = `
      <ol>
        <li data-testid="checklist-item" data-code="CSF" data-key="CSF">
          <p><button id="inside">Adjuntar</button></p>
        </li>
        <li data-testid="checklist-item" data-code="ID_OFICIAL" data-key="ID_OFICIAL-r1"><span id="rep">x</span></li>
      </ol>
      <p id="outside">fuera</p>`;
    return document.body;
  }

  it("turns physical pixels into CSS pixels", () => {
    expect(cssPoint({ x: 300, y: 150 }, 1.5)).toEqual({ x: 200, y: 100 });
    expect(cssPoint({ x: 300, y: 150 }, 0)).toEqual({ x: 300, y: 150 });
    expect(cssPoint({ x: 300, y: 150 }, Number.NaN)).toEqual({ x: 300, y: 150 });
  });

  it("asks for the element at the CSS point and climbs to its item", () => {
    page();
    const asked: Array<[number, number]> = [];
    const at = (id: string) => (x: number, y: number) => {
      asked.push([x, y]);
      return document.getElementById(id);
    };
    expect(itemKeyAt({ x: 400, y: 200 }, 2, at("inside"))).toBe("CSF");
    expect(asked).toEqual([[200, 100]]);
    expect(itemKeyAt({ x: 10, y: 10 }, 1, at("rep"))).toBe("ID_OFICIAL-r1");
    expect(itemKeyAt({ x: 10, y: 10 }, 1, at("outside"))).toBeNull();
    expect(itemKeyAt({ x: 10, y: 10 }, 1, () => null)).toBeNull();
  });
});

describe("stableOrder", () => {
  it("takes the given order the first time", () => {
    expect(stableOrder([], ["A", "B", "C"])).toEqual(["A", "B", "C"]);
  });

  it("keeps known items in place when the server reorders them", () => {
    expect(stableOrder(["A", "B", "C"], ["B", "C", "A"])).toEqual(["A", "B", "C"]);
  });

  it("drops items that went away and adds new ones after", () => {
    expect(stableOrder(["A", "B", "C"], ["D", "C", "A"])).toEqual(["A", "C", "D"]);
  });
});

describe("dataUrlBytes", () => {
  it("decodes base64 without fetching", () => {
    const bytes = dataUrlBytes("data:application/pdf;base64,JVBERi0xLjQK");
    expect(new TextDecoder().decode(bytes)).toBe("%PDF-1.4\n");
  });

  it("keeps every byte value", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const base64 = btoa(String.fromCharCode(...all));
    expect([...dataUrlBytes(`data:application/octet-stream;base64,${base64}`)]).toEqual([...all]);
  });

  it("decodes percent-encoded data too", () => {
    expect([...dataUrlBytes("data:text/plain,a%20b%FF")]).toEqual([97, 32, 98, 255]);
    expect(new TextDecoder().decode(dataUrlBytes("data:text/plain,ñ"))).toBe("ñ");
  });

  it("refuses what is not a data: URL", () => {
    expect(() => dataUrlBytes("https://example.com/x.pdf")).toThrow();
  });
});
