// The registration form as data: its sections in order, and for each field how it is
// asked. Wizard and summary both read this, so a field is described exactly once.
import type { FullAutoFill } from "svelte/elements";
import type { Field, Persona, RegistrationDraft, Section } from "./bindings";
import type { MessageKey } from "./i18n.svelte";

/** A top-level draft value that `set_field` writes. */
export type DraftField = Extract<Field, Exclude<keyof RegistrationDraft, "representatives">>;
/** The three values of one representative the UI edits. */
export type RepPart = "name" | "curp" | "power";
/** A wizard step: a section of the review, or the final summary. */
export type Step = Section | "summary";

export const SECTIONS: readonly Section[] = [
  "identity",
  "general",
  "address",
  "contact",
  "representatives",
  "activity",
  "bank",
];
export const STEPS: readonly Step[] = [...SECTIONS, "summary"];

/** Values the draft stores for choices (the Rust side parses these). */
export const PERSONAS: readonly Persona[] = ["fisica", "moral"];
export const SECTORS = ["commerce", "industry", "services"] as const;
export const EMPLOYER_YES = "yes";
export const EMPLOYER_NO = "no";

type Control = "text" | "textarea" | "select" | "radio";
/** Where the options of a select or radio group come from. */
export type OptionSource = "persona" | "regimen" | "state" | "sector" | "employer";

export interface FieldDef {
  field: DraftField;
  control: Control;
  label: MessageKey;
  hint?: MessageKey;
  placeholder?: MessageKey;
  options?: OptionSource;
  /** Shown only for this persona. */
  only?: Persona;
  optional?: boolean;
  /** Grid width in the form column. */
  width?: "full" | "half" | "third";
  type?: "text" | "email" | "tel";
  inputmode?: "text" | "numeric" | "decimal" | "email" | "tel";
  autocomplete?: FullAutoFill;
  maxlength?: number;
  /** Identifiers: shown in capitals, not spell-checked. */
  code?: boolean;
}

export interface SectionDef {
  section: Section;
  title: MessageKey;
  intro: MessageKey;
  fields: FieldDef[];
}

export const FORM: readonly SectionDef[] = [
  {
    section: "identity",
    title: "section.identity.title",
    intro: "section.identity.intro",
    fields: [
      { field: "persona", control: "radio", label: "field.persona.label", options: "persona" },
      {
        field: "rfc",
        control: "text",
        label: "field.rfc.label",
        hint: "field.rfc.hint",
        placeholder: "field.rfc.placeholder",
        width: "half",
        maxlength: 20,
        code: true,
        autocomplete: "off",
      },
    ],
  },
  {
    section: "general",
    title: "section.general.title",
    intro: "section.general.intro",
    fields: [
      {
        field: "name",
        control: "text",
        label: "field.name.label",
        hint: "field.name.hint",
        autocomplete: "organization",
      },
      {
        field: "regimen",
        control: "select",
        label: "field.regimen.label",
        hint: "field.regimen.hint",
        options: "regimen",
      },
      {
        field: "curp",
        control: "text",
        label: "field.curp.label",
        hint: "field.curp.hint",
        placeholder: "field.curp.placeholder",
        only: "fisica",
        width: "half",
        maxlength: 24,
        code: true,
        autocomplete: "off",
      },
    ],
  },
  {
    section: "address",
    title: "section.address.title",
    intro: "section.address.intro",
    fields: [
      { field: "street", control: "text", label: "field.street.label", autocomplete: "address-line1" },
      {
        field: "exterior_number",
        control: "text",
        label: "field.exterior_number.label",
        width: "half",
      },
      {
        field: "interior_number",
        control: "text",
        label: "field.interior_number.label",
        width: "half",
        optional: true,
      },
      {
        field: "neighborhood",
        control: "text",
        label: "field.neighborhood.label",
        autocomplete: "address-level3",
      },
      {
        field: "postal_code",
        control: "text",
        label: "field.postal_code.label",
        hint: "field.postal_code.hint",
        width: "half",
        inputmode: "numeric",
        maxlength: 10,
        autocomplete: "postal-code",
      },
      {
        field: "municipality",
        control: "text",
        label: "field.municipality.label",
        hint: "field.municipality.hint",
        width: "half",
        autocomplete: "address-level2",
      },
      {
        field: "state",
        control: "select",
        label: "field.state.label",
        options: "state",
        width: "half",
      },
    ],
  },
  {
    section: "contact",
    title: "section.contact.title",
    intro: "section.contact.intro",
    fields: [
      {
        field: "email",
        control: "text",
        type: "email",
        inputmode: "email",
        label: "field.email.label",
        hint: "field.email.hint",
        placeholder: "field.email.placeholder",
        autocomplete: "email",
      },
      {
        field: "phone",
        control: "text",
        type: "tel",
        inputmode: "tel",
        label: "field.phone.label",
        hint: "field.phone.hint",
        width: "half",
        autocomplete: "tel",
      },
    ],
  },
  {
    section: "representatives",
    title: "section.representatives.title",
    intro: "section.representatives.intro",
    fields: [],
  },
  {
    section: "activity",
    title: "section.activity.title",
    intro: "section.activity.intro",
    fields: [
      {
        field: "activity",
        control: "textarea",
        label: "field.activity.label",
        hint: "field.activity.hint",
      },
      {
        field: "scian",
        control: "text",
        label: "field.scian.label",
        hint: "field.scian.hint",
        width: "half",
        inputmode: "numeric",
        maxlength: 10,
        optional: true,
        autocomplete: "off",
      },
      {
        field: "sector",
        control: "select",
        label: "field.sector.label",
        hint: "field.sector.hint",
        options: "sector",
        width: "half",
      },
      {
        field: "workers",
        control: "text",
        label: "field.workers.label",
        hint: "field.workers.hint",
        width: "half",
        inputmode: "numeric",
        maxlength: 9,
        autocomplete: "off",
      },
      {
        field: "annual_sales",
        control: "text",
        label: "field.annual_sales.label",
        hint: "field.annual_sales.hint",
        placeholder: "field.annual_sales.placeholder",
        width: "half",
        inputmode: "decimal",
        maxlength: 24,
        autocomplete: "off",
      },
      {
        field: "employer",
        control: "radio",
        label: "field.employer.label",
        hint: "field.employer.hint",
        options: "employer",
      },
    ],
  },
  {
    section: "bank",
    title: "section.bank.title",
    intro: "section.bank.intro",
    fields: [
      {
        field: "clabe",
        control: "text",
        label: "field.clabe.label",
        hint: "field.clabe.hint",
        placeholder: "field.clabe.placeholder",
        inputmode: "numeric",
        maxlength: 24,
        code: true,
        autocomplete: "off",
      },
    ],
  },
];

/** Every top-level field the draft has, in form order. */
export const DRAFT_FIELDS: readonly DraftField[] = FORM.flatMap((s) => s.fields.map((f) => f.field));

/** Review field of each representative part, and back. */
export const REP_FIELD: Readonly<Record<RepPart, Field>> = {
  name: "representative_name",
  curp: "representative_curp",
  power: "representative_power",
};
export const REP_PARTS: readonly RepPart[] = ["name", "curp", "power"];

export function repPartOf(field: Field): RepPart | null {
  for (const part of REP_PARTS) if (REP_FIELD[part] === field) return part;
  return null;
}

/** The message key of each field's label (for the summary's "RFC: …"). */
export const FIELD_LABEL: Readonly<Record<Field, MessageKey>> = {
  ...(Object.fromEntries(
    FORM.flatMap((s) => s.fields.map((f) => [f.field, f.label])),
  ) as Record<DraftField, MessageKey>),
  representatives: "field.representatives.label",
  representative_name: "field.representative_name.label",
  representative_curp: "field.representative_curp.label",
  representative_power: "field.representative_power.label",
};

export function sectionDef(section: Section): SectionDef {
  const def = FORM.find((s) => s.section === section);
  if (!def) throw new Error(`unknown section ${section}`);
  return def;
}

/** The fields of a section the given persona is asked. */
export function fieldsFor(def: SectionDef, persona: Persona | null): FieldDef[] {
  return def.fields.filter((f) => !f.only || f.only === persona);
}

/** Reads the persona out of the draft's string. */
export function personaOf(value: string): Persona | null {
  const plain = value.trim().toLowerCase().replace("í", "i");
  return (PERSONAS as readonly string[]).includes(plain) ? (plain as Persona) : null;
}

/** Element ids, fixed because tests and the summary's jumps rely on them. */
export const ids = {
  field: (field: Field) => `field-${field}`,
  choice: (field: DraftField, value: string) => `field-${field}-${value}`,
  issue: (field: Field) => `issue-${field}`,
  hint: (field: Field) => `hint-${field}`,
  rep: (index: number, part: RepPart) => `rep-${index}-${part}`,
  repIssue: (index: number, part: RepPart) => `issue-rep-${index}-${part}`,
  repHint: (index: number, part: RepPart) => `hint-rep-${index}-${part}`,
  nav: (step: Step) => `nav-${step}`,
  repAdd: "rep-add",
};

/** Choice values of a radio field. */
export function radioValues(field: DraftField): readonly string[] {
  if (field === "persona") return PERSONAS;
  if (field === "employer") return [EMPLOYER_YES, EMPLOYER_NO];
  return [];
}

/**
 * The id of the element to focus to fix `field` (for the summary's jumps): the chosen
 * radio or the first one, the representative's input, or the text input itself.
 */
export function focusTarget(
  field: Field | null,
  draft: RegistrationDraft,
  representative: string | null,
): string | null {
  if (field === null) return null;
  const part = repPartOf(field);
  if (part) {
    const index = draft.representatives.findIndex((r) => r.id === representative);
    return index >= 0 ? ids.rep(index, part) : ids.repAdd;
  }
  if (field === "representatives") return ids.repAdd;
  const values = radioValues(field as DraftField);
  if (values.length > 0) {
    const chosen = draft[field as DraftField];
    return ids.choice(field as DraftField, values.includes(chosen) ? chosen : values[0]!);
  }
  return ids.field(field);
}
