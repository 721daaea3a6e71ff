import { describe, expect, it } from "vitest";
import type { IssueView, ReviewView } from "./bindings";
import { groupIssues, isInvalid, issuesAt, repIssues, visibleIssues } from "./issues";

function issue(over: Partial<IssueView>): IssueView {
  return { code: "required", severity: "missing", field: "rfc", representative: null, message: "m", ...over };
}

function review(issues: IssueView[]): ReviewView {
  return { persona: "moral", issues, sections: [], size: null, annual_sales: null, bank: null, in_benito_juarez: false, complete: false };
}

describe("visibleIssues", () => {
  const missing = issue({ severity: "missing" });
  const error = issue({ severity: "error", code: "rfc_shape" });
  const warning = issue({ severity: "warning", code: "rfc_check_digit" });

  it("does not shout at an empty, untouched field", () => {
    expect(visibleIssues([missing], { hasValue: false, touched: false, revealAll: false })).toEqual([]);
  });

  it("shows 'missing' once the field was left", () => {
    expect(visibleIssues([missing], { hasValue: false, touched: true, revealAll: false })).toEqual([missing]);
  });

  it("shows errors and warnings as soon as there is a value, errors first", () => {
    const shown = visibleIssues([warning, error], { hasValue: true, touched: false, revealAll: false });
    expect(shown).toEqual([error, warning]);
    expect(isInvalid(shown)).toBe(true);
    expect(isInvalid([warning])).toBe(false);
  });
});

describe("issue lookup and grouping", () => {
  const all = review([
    issue({ field: "clabe", severity: "error", code: "clabe_check_digit" }),
    issue({ field: "rfc" }),
    issue({ field: "representative_curp", representative: "r1", severity: "error" }),
    issue({ field: "representatives", code: "representatives_missing" }),
    issue({ field: null, code: "too_long" }),
    issue({ field: "persona" }),
  ]);

  it("finds a field's issues, and a representative's", () => {
    expect(issuesAt(all, "rfc")).toHaveLength(1);
    expect(repIssues(all, "r1", "curp")).toHaveLength(1);
    expect(repIssues(all, "r2", "curp")).toHaveLength(0);
    expect(issuesAt(all, "representative_curp")).toHaveLength(0);
  });

  it("groups by section in wizard order, loose issues first", () => {
    const groups = groupIssues(all);
    expect(groups.map((g) => g.section)).toEqual([null, "identity", "representatives", "bank"]);
    expect(groups[1]!.issues.map((i) => i.field)).toEqual(["persona", "rfc"]);
    expect(groups[2]!.issues.map((i) => i.field)).toEqual(["representatives", "representative_curp"]);
  });
});
