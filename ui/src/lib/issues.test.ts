import { describe, expect, it } from "vitest";
import type { IssueView, ReviewView, Section, SectionReview } from "./bindings";
import { groupIssues, isInvalid, issuesAt, repIssues, totals, visibleIssues } from "./issues";

function issue(over: Partial<IssueView>): IssueView {
  return { code: "required", severity: "missing", field: "rfc", section: "identity", representative: null, message: "m", ...over };
}

function section(name: Section, missing: number, errors: number, warnings: number): SectionReview {
  return { section: name, missing, errors, warnings, done: missing + errors === 0 };
}

function review(issues: IssueView[], sections: SectionReview[] = []): ReviewView {
  const facts = { persona: "moral", sections, size: null, annual_sales: null, bank: null, in_benito_juarez: false, complete: false } as const;
  return { issues, facts: { ...facts, sections } };
}

describe("visibleIssues", () => {
  const missing = issue({ severity: "missing" });
  const error = issue({ severity: "error", code: "rfc_shape" });
  const warning = issue({ severity: "warning", code: "rfc_check_digit" });

  it("does not shout at an empty, untouched field", () => {
    expect(visibleIssues([missing], { hasValue: false, touched: false })).toEqual([]);
  });

  it("shows 'missing' once the field counts as touched", () => {
    expect(visibleIssues([missing], { hasValue: false, touched: true })).toEqual([missing]);
  });

  it("shows errors and warnings as soon as there is a value, errors first", () => {
    const shown = visibleIssues([warning, error], { hasValue: true, touched: false });
    expect(shown).toEqual([error, warning]);
    expect(isInvalid(shown)).toBe(true);
    expect(isInvalid([warning])).toBe(false);
  });
});

describe("issue lookup and grouping", () => {
  // In core's order: section after section.
  const all = review(
    [
      issue({ field: "persona" }),
      issue({ field: "rfc", severity: "error", code: "rfc_shape" }),
      issue({ field: "street", section: "address" }),
      issue({ field: "neighborhood", section: "address" }),
      issue({ field: "representatives", section: "representatives", code: "representatives_missing" }),
      issue({ field: "representative_curp", section: "representatives", representative: "r1", severity: "error" }),
      issue({ field: "clabe", section: "bank", severity: "warning", code: "clabe_unknown_bank" }),
    ],
    [section("identity", 1, 1, 0), section("address", 2, 0, 0), section("representatives", 1, 1, 0), section("bank", 0, 0, 1)],
  );

  it("finds a field's issues, and a representative's", () => {
    expect(issuesAt(all, "rfc")).toHaveLength(1);
    expect(repIssues(all, "r1", "curp")).toHaveLength(1);
    expect(repIssues(all, "r2", "curp")).toHaveLength(0);
    expect(issuesAt(all, "representative_curp")).toHaveLength(0);
  });

  it("keeps core's sections and order, what is missing apart from what is wrong", () => {
    const groups = groupIssues(all);
    expect(groups.map((g) => g.section)).toEqual(["identity", "address", "representatives", "bank"]);
    expect(groups.map((g) => g.missing.map((i) => i.field))).toEqual([
      ["persona"],
      ["street", "neighborhood"],
      ["representatives"],
      [],
    ]);
    expect(groups.map((g) => g.problems.map((i) => i.field))).toEqual([["rfc"], [], ["representative_curp"], ["clabe"]]);
  });

  it("sums core's section counts: missing and errors block, warnings do not", () => {
    expect(totals(all)).toEqual({ blocking: 6, warnings: 1 });
  });
});
