// Which review issues to show where. Pure functions over `ReviewView`.
import type { Field, IssueView, ReviewView, Section, SectionReview, Severity } from "./bindings";
import { DRAFT_FIELDS, FIELD_SECTION, REP_FIELD, SECTIONS, type RepPart } from "./form";

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
 * something (or was visited); "missing" only after the person left the field once, or
 * everywhere once they reached the summary: an empty form is not shouted at.
 */
export function visibleIssues(
  issues: readonly IssueView[],
  state: { hasValue: boolean; touched: boolean; revealAll: boolean },
): IssueView[] {
  return issues
    .filter((i) =>
      i.severity === "missing"
        ? state.touched || state.revealAll
        : state.hasValue || state.touched || state.revealAll,
    )
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** True when what is shown makes the field invalid (warnings do not). */
export function isInvalid(shown: readonly IssueView[]): boolean {
  return shown.some((i) => i.severity !== "warning");
}

export function sectionReview(review: ReviewView, section: Section): SectionReview | null {
  return review.sections.find((s) => s.section === section) ?? null;
}

export interface IssueGroup {
  /** null: issues the review could not tie to a field. */
  section: Section | null;
  issues: IssueView[];
}

function fieldRank(field: Field | null): number {
  if (field === null) return -1;
  const index = (DRAFT_FIELDS as readonly string[]).indexOf(field);
  if (index >= 0) return index;
  return DRAFT_FIELDS.length + ["representatives", ...Object.values(REP_FIELD)].indexOf(field);
}

/** The summary: every issue grouped by section in wizard order; empty groups left out. */
export function groupIssues(review: ReviewView): IssueGroup[] {
  const groups: IssueGroup[] = [];
  const loose = review.issues.filter((i) => i.field === null);
  if (loose.length > 0) groups.push({ section: null, issues: loose });
  for (const section of SECTIONS) {
    const issues = review.issues
      .filter((i) => i.field !== null && FIELD_SECTION[i.field] === section)
      .map((issue, order) => ({ issue, order }))
      .sort(
        (a, b) =>
          fieldRank(a.issue.field) - fieldRank(b.issue.field) ||
          SEVERITY_ORDER[a.issue.severity] - SEVERITY_ORDER[b.issue.severity] ||
          a.order - b.order,
      )
      .map((x) => x.issue);
    if (issues.length > 0) groups.push({ section, issues });
  }
  return groups;
}

/** Counts for one section, by severity. */
export function countBySeverity(issues: readonly IssueView[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { missing: 0, error: 0, warning: 0 };
  for (const i of issues) counts[i.severity] += 1;
  return counts;
}
