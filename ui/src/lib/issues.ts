// Which review issues to show where. Pure functions over `ReviewView`.
import type { Field, IssueView, ReviewView, Section, Severity } from "./bindings";
import { REP_FIELD, type RepPart } from "./form";

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, missing: 1, warning: 2 };

/** Issues about one top-level field, or one part of one representative. */
export function issuesAt(
  review: ReviewView,
  field: Field,
  representative: string | null = null,
): IssueView[] {
  return review.issues.filter(
    (i) => i.field === field && (i.representative ?? null) === representative,
  );
}

export function repIssues(review: ReviewView, repId: string, part: RepPart): IssueView[] {
  return issuesAt(review, REP_FIELD[part], repId);
}

/**
 * What to show next to a field now. Errors and warnings appear once the field holds
 * something; "missing" only once it counts as touched (see `Session.touched`): an empty
 * form, or a field the cursor merely passed through, is not shouted at.
 */
export function visibleIssues(
  issues: readonly IssueView[],
  state: { hasValue: boolean; touched: boolean },
): IssueView[] {
  return issues
    .filter((i) => (i.severity === "missing" ? state.touched : state.hasValue || state.touched))
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** True when what is shown makes the field invalid (warnings do not). */
export function isInvalid(shown: readonly IssueView[]): boolean {
  return shown.some((i) => i.severity !== "warning");
}

export interface IssueGroup {
  /** null: issues the review could not tie to a field. */
  section: Section | null;
  /** Required values not filled in yet: told in one sentence for the whole section. */
  missing: IssueView[];
  /** What is wrong or doubtful: one line each, as each says something else. */
  problems: IssueView[];
}

/** The summary: core's issues by the section core puts each in, in core's (wizard) order. */
export function groupIssues(review: ReviewView): IssueGroup[] {
  const groups = new Map<Section | null, IssueGroup>();
  for (const issue of review.issues) {
    let group = groups.get(issue.section);
    if (!group) {
      group = { section: issue.section, missing: [], problems: [] };
      groups.set(issue.section, group);
    }
    (issue.severity === "missing" ? group.missing : group.problems).push(issue);
  }
  return [...groups.values()];
}

/** Core's sums over every section: what blocks sending, and the warnings. */
export function totals(review: ReviewView): { blocking: number; warnings: number } {
  let blocking = 0;
  let warnings = 0;
  for (const s of review.facts.sections) {
    blocking += s.missing + s.errors;
    warnings += s.warnings;
  }
  return { blocking, warnings };
}
