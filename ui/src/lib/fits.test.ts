import { describe, expect, it } from "vitest";
import type { FitNotice, Ocid, BusinessId } from "./bindings";
import { countMessage, desktopNotice, noticeLines, reasonMessage } from "./fits";
import es from "../locales/es.json";
import en from "../locales/en.json";

describe("reasonMessage", () => {
  it("words each reason from the catalogues with its data", () => {
    expect(reasonMessage({ kind: "scian", code: "461110", item: "Despensa básica" })).toEqual({
      key: "fit.reason.scian",
      params: { code: "461110", item: "Despensa básica" },
    });
    expect(
      reasonMessage({ kind: "scian_branch", code: "461110", item_code: "461190", item: "Frijol" }),
    ).toEqual({ key: "fit.reason.scianBranch", params: { code: "461110", itemCode: "461190", item: "Frijol" } });
    expect(reasonMessage({ kind: "mentions", word: "papelería" })).toEqual({
      key: "fit.reason.mentions",
      params: { word: "papelería" },
    });
  });

  it("has every key in Spanish and English, naming the same parameters", () => {
    for (const key of ["fit.reason.scian", "fit.reason.scianBranch", "fit.reason.mentions"] as const) {
      const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(en[key])).toEqual(names(es[key]));
    }
  });
});

describe("countMessage", () => {
  it("says one or many", () => {
    expect(countMessage(1).key).toBe("home.card.fits.one");
    expect(countMessage(4)).toEqual({ key: "home.card.fits.other", params: { n: 4 } });
  });
});

describe("noticeLines", () => {
  const notice = (n: number, kind: "new" | "closing"): FitNotice => ({
    business: "b" as BusinessId,
    business_name: "Papelería La Estrella",
    ocid: `ocds-${n}` as Ocid,
    title: `Convocatoria ${n}`,
    kind,
    deadline: "2026-12-06T20:00:00Z",
  });

  it("shows the first three and counts the rest", () => {
    const notices = [notice(1, "new"), notice(2, "closing"), notice(3, "new"), notice(4, "new")];
    const { lines, more } = noticeLines(notices, () => "06/12/2026 14:00");
    expect(lines.map((l) => l.key)).toEqual(["notice.fits.new", "notice.fits.closing", "notice.fits.new"]);
    expect(lines[1].params).toEqual({
      business: "Papelería La Estrella",
      title: "Convocatoria 2",
      deadline: "06/12/2026 14:00",
    });
    expect(more).toBe(1);
    expect(noticeLines([], () => "").more).toBe(0);
  });
});

describe("desktopNotice", () => {
  const notice = (n: number): FitNotice => ({
    business: "b" as BusinessId,
    business_name: "Papelería La Estrella",
    ocid: `ocds-${n}` as Ocid,
    title: `Convocatoria ${n}`,
    kind: "new",
    deadline: null,
  });
  const say = (m: { key: string; params: Record<string, string | number> }) =>
    (es as Record<string, string>)[m.key].replace(/\{(\w+)\}/g, (_, name: string) => String(m.params[name]));

  it("titles the notification and gives a line per tender, then how many more", () => {
    const { title, body } = desktopNotice([1, 2, 3, 4, 5].map(notice), () => "", say);
    expect(title).toBe("Para ti, después de sincronizar");
    expect(body.split("\n")).toEqual([
      "Nueva para Papelería La Estrella: Convocatoria 1",
      "Nueva para Papelería La Estrella: Convocatoria 2",
      "Nueva para Papelería La Estrella: Convocatoria 3",
      "Y 2 más en «Para ti».",
    ]);
  });
});
