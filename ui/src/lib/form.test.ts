import { describe, expect, it } from "vitest";
import type { Field, RegistrationDraft } from "./bindings";
import {
  DRAFT_FIELDS,
  FIELD_LABEL,
  FORM,
  SECTIONS,
  STEPS,
  fieldsFor,
  focusTarget,
  sectionDef,
} from "./form";

const ALL_FIELDS: Field[] = [
  "persona", "rfc", "name", "regimen", "curp", "street", "exterior_number",
  "interior_number", "neighborhood", "postal_code", "municipality", "state", "email",
  "phone", "activity", "scian", "sector", "workers", "annual_sales", "employer", "clabe",
  "representatives", "representative_name", "representative_curp", "representative_power",
];

/** Every key of the draft Rust sends, written out: the compiler refuses a missing or an
 * unknown one, so the form is checked against the type, not against itself. */
const DRAFT_KEYS: Record<keyof RegistrationDraft, true> = {
  persona: true, rfc: true, name: true, regimen: true, curp: true, street: true,
  exterior_number: true, interior_number: true, neighborhood: true, postal_code: true,
  municipality: true, state: true, email: true, phone: true, activity: true, scian: true,
  sector: true, workers: true, annual_sales: true, employer: true, clabe: true,
  representatives: true,
};

function draft(overrides: Partial<RegistrationDraft> = {}): RegistrationDraft {
  const base = Object.fromEntries(DRAFT_FIELDS.map((f) => [f, ""]));
  return { ...base, representatives: [], ...overrides } as RegistrationDraft;
}

describe("form description", () => {
  it("follows the review's section order, summary last", () => {
    expect(FORM.map((s) => s.section)).toEqual([...SECTIONS]);
    expect(STEPS[STEPS.length - 1]).toBe("summary");
  });

  it("asks every top-level field of the draft exactly once", () => {
    const keys = Object.keys(DRAFT_KEYS).filter((k) => k !== "representatives").sort();
    expect([...DRAFT_FIELDS].sort()).toEqual(keys);
    expect(new Set(DRAFT_FIELDS).size).toBe(DRAFT_FIELDS.length);
  });

  it("labels every review field", () => {
    for (const field of ALL_FIELDS) expect(FIELD_LABEL[field], field).toBeDefined();
  });

  it("asks the CURP only of a persona física", () => {
    const general = sectionDef("general");
    expect(fieldsFor(general, "fisica").map((f) => f.field)).toContain("curp");
    expect(fieldsFor(general, "moral").map((f) => f.field)).not.toContain("curp");
  });

  it("knows where to put the cursor for each issue", () => {
    const d = draft({
      persona: "moral",
      employer: "",
      representatives: [
        { id: "r1", name: "", curp: "", power_of_attorney: "" },
        { id: "r2", name: "", curp: "", power_of_attorney: "" },
      ],
    });
    expect(focusTarget("rfc", d, null)).toBe("field-rfc");
    expect(focusTarget("persona", d, null)).toBe("field-persona-moral");
    expect(focusTarget("persona", draft(), null)).toBe("field-persona-fisica");
    expect(focusTarget("employer", d, null)).toBe("field-employer-yes");
    expect(focusTarget("representative_curp", d, "r2")).toBe("rep-1-curp");
    expect(focusTarget("representatives", d, null)).toBe("rep-add");
    expect(focusTarget(null, d, null)).toBeNull();
  });
});
