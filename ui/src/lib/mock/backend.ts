// DEVELOPMENT ONLY: an in-memory stand-in for the Rust commands, used when the UI runs
// in a plain browser (`npm run dev` without Tauri). It imitates the contract of
// docs/IPC.md closely enough to work on the screens; the real rules live in Rust.
// Its messages play the part of the Rust side's (already localised) messages.
// Never imported by a production build (see main.ts).
import type {
  AppInfo,
  BusinessSummary,
  BusinessView,
  Catalogues,
  Field,
  IssueView,
  Locale,
  NewBusiness,
  Persona,
  RegistrationDraft,
  Representative,
  ReviewView,
  Saved,
  Section,
  SectionReview,
  Severity,
  Size,
} from "../bindings";
import type { Invoker } from "../api";
import { DRAFT_FIELDS, FIELD_SECTION, SECTIONS, type DraftField } from "../form";

interface Stored {
  id: string;
  draft: RegistrationDraft;
  updated_at: string;
  damaged?: boolean;
}

const STORAGE_KEY = "ventanilla.mock.v1";
let locale: Locale = "es";
let businesses: Stored[] = [];

const CATALOGUES: Catalogues = {
  regimenes: [
    { code: "601", name: "General de Ley Personas Morales", fisica: false, moral: true },
    { code: "603", name: "Personas Morales con Fines no Lucrativos", fisica: false, moral: true },
    { code: "605", name: "Sueldos y Salarios e Ingresos Asimilados a Salarios", fisica: true, moral: false },
    { code: "606", name: "Arrendamiento", fisica: true, moral: false },
    { code: "612", name: "Personas Físicas con Actividades Empresariales y Profesionales", fisica: true, moral: false },
    { code: "621", name: "Incorporación Fiscal", fisica: true, moral: false },
    { code: "625", name: "Régimen de las Actividades Empresariales con ingresos a través de Plataformas Tecnológicas", fisica: true, moral: false },
    { code: "626", name: "Régimen Simplificado de Confianza", fisica: true, moral: true },
  ],
  states: [
    ["AGU", "Aguascalientes"], ["BCN", "Baja California"], ["BCS", "Baja California Sur"],
    ["CAM", "Campeche"], ["CHP", "Chiapas"], ["CHH", "Chihuahua"], ["CMX", "Ciudad de México"],
    ["COA", "Coahuila"], ["COL", "Colima"], ["DUR", "Durango"], ["GUA", "Guanajuato"],
    ["GRO", "Guerrero"], ["HID", "Hidalgo"], ["JAL", "Jalisco"], ["MEX", "Estado de México"],
    ["MIC", "Michoacán"], ["MOR", "Morelos"], ["NAY", "Nayarit"], ["NLE", "Nuevo León"],
    ["OAX", "Oaxaca"], ["PUE", "Puebla"], ["QUE", "Querétaro"], ["ROO", "Quintana Roo"],
    ["SLP", "San Luis Potosí"], ["SIN", "Sinaloa"], ["SON", "Sonora"], ["TAB", "Tabasco"],
    ["TAM", "Tamaulipas"], ["TLA", "Tlaxcala"], ["VER", "Veracruz"], ["YUC", "Yucatán"],
    ["ZAC", "Zacatecas"],
  ].map(([code, name]) => ({ code: code!, name: name! })),
};

const BANKS: Record<string, string> = {
  "002": "Banamex", "012": "BBVA México", "014": "Santander", "021": "HSBC",
  "030": "BanBajío", "036": "Inbursa", "044": "Scotiabank", "058": "Banregio",
  "072": "Banorte", "127": "Azteca", "137": "BanCoppel", "638": "Nu México", "646": "STP",
};

const TEXTS: Record<string, [string, string]> = {
  required: ["Falta este dato.", "This is missing."],
  persona: ["Elige si es persona física o moral.", "Choose persona física or moral."],
  rfc_length: ["El RFC de una persona {p} tiene {n} caracteres; este tiene {got}.", "A persona {p} RFC has {n} characters; this one has {got}."],
  rfc_shape: ["El RFC no tiene la forma esperada: letras, fecha AAMMDD y homoclave.", "The RFC does not look right: letters, date YYMMDD and homoclave."],
  rfc_check: ["El dígito verificador del RFC no coincide. Revísalo en tu Constancia de Situación Fiscal; si está bien escrito, puedes continuar.", "The RFC check digit does not match. Compare it with your tax certificate; if it is right, you may continue."],
  rfc_generic: ["Ese es un RFC genérico; usa el RFC del negocio.", "That is a generic RFC; use the business's own RFC."],
  curp: ["La CURP tiene 18 caracteres: 4 letras, fecha, sexo, estado y 5 caracteres más.", "A CURP has 18 characters: 4 letters, date, sex, state and 5 more."],
  curp_rfc: ["Los primeros 10 caracteres de la CURP y del RFC normalmente coinciden.", "The first 10 characters of the CURP and RFC usually agree."],
  regimen: ["Ese régimen no corresponde al tipo de persona.", "That regime does not apply to this kind of persona."],
  postal: ["El código postal tiene 5 dígitos.", "A postal code has 5 digits."],
  email: ["Escribe un correo como nombre@ejemplo.mx.", "Write an email like name@example.mx."],
  phone: ["El teléfono tiene 10 dígitos.", "A phone number has 10 digits."],
  reps: ["Una persona moral necesita al menos un representante legal.", "A persona moral needs at least one legal representative."],
  scian: ["El código SCIAN tiene 6 dígitos.", "A SCIAN code has 6 digits."],
  workers: ["Escribe el número de trabajadores con dígitos, sin decimales.", "Write the number of workers in digits, no decimals."],
  sales: ["Escribe las ventas en pesos, solo números (por ejemplo 2500000).", "Write sales in pesos, digits only (for example 2500000)."],
  employer: ["Contesta sí o no.", "Answer yes or no."],
  clabe: ["La CLABE tiene 18 dígitos.", "A CLABE has 18 digits."],
  clabe_check: ["El dígito verificador de la CLABE no coincide: revisa que esté bien copiada.", "The CLABE check digit does not match: check it was copied right."],
  failure: ["No se pudo guardar: el disco no respondió.", "Could not save: the disk did not answer."],
  not_found: ["Ese negocio ya no existe.", "That business no longer exists."],
  damage: ["Los archivos de este negocio están dañados y no se pueden abrir. Puedes eliminarlo y capturarlo de nuevo.", "This business's files are damaged and cannot be opened. You can delete it and enter it again."],
};

function say(key: string, params: Record<string, string | number> = {}): string {
  const pair = TEXTS[key] ?? [key, key];
  const text = locale === "es" ? pair[0] : pair[1];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ""));
}

function uuid(): string {
  return crypto.randomUUID();
}

function emptyDraft(): RegistrationDraft {
  const draft = Object.fromEntries(DRAFT_FIELDS.map((f) => [f, ""])) as Record<DraftField, string>;
  return { ...draft, representatives: [] } as RegistrationDraft;
}

function clabeCheck(digits: string): boolean {
  const weights = [3, 7, 1];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (Number(digits[i]) * weights[i % 3]!) % 10;
  return (10 - (sum % 10)) % 10 === Number(digits[17]);
}

function rfcCheck(rfc: string): boolean {
  const alphabet = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ";
  const body = rfc.slice(0, -1).padStart(12, " ");
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += alphabet.indexOf(body[i]!) * (13 - i);
  const r = sum % 11;
  const digit = r === 0 ? "0" : 11 - r === 10 ? "A" : String(11 - r);
  return rfc.endsWith(digit);
}

function review(draft: RegistrationDraft): ReviewView {
  const issues: IssueView[] = [];
  const add = (field: Field, severity: Severity, key: string, params = {}, rep: string | null = null) =>
    issues.push({ code: key, severity, field, representative: rep, message: say(key, params) });
  const persona: Persona | null =
    draft.persona === "fisica" || draft.persona === "moral" ? draft.persona : null;
  const up = (s: string) => s.trim().toUpperCase();

  if (!persona) add("persona", "missing", "persona");
  const rfc = up(draft.rfc);
  if (!rfc) add("rfc", "missing", "required");
  else if (rfc === "XAXX010101000" || rfc === "XEXX010101000") add("rfc", "error", "rfc_generic");
  else if (persona && rfc.length !== (persona === "moral" ? 12 : 13))
    add("rfc", "error", "rfc_length", { p: persona === "moral" ? "moral" : "física", n: persona === "moral" ? 12 : 13, got: rfc.length });
  else if (!/^[A-ZÑ&]{3,4}\d{6}[A-Z\d]{3}$/.test(rfc)) add("rfc", "error", "rfc_shape");
  else if (!rfcCheck(rfc)) add("rfc", "warning", "rfc_check");

  if (!draft.name.trim()) add("name", "missing", "required");
  const regimen = CATALOGUES.regimenes.find((r) => r.code === draft.regimen);
  if (!draft.regimen) add("regimen", "missing", "required");
  else if (regimen && persona && !regimen[persona]) add("regimen", "error", "regimen");
  if (persona === "fisica") {
    const curp = up(draft.curp);
    if (!curp) add("curp", "missing", "required");
    else if (!/^[A-Z]{4}\d{6}[HMX][A-Z]{2}[A-Z]{3}[A-Z\d]\d$/.test(curp)) add("curp", "error", "curp");
    else if (rfc.length === 13 && curp.slice(0, 10) !== rfc.slice(0, 10)) add("curp", "warning", "curp_rfc");
  }
  for (const f of ["street", "exterior_number", "neighborhood", "municipality", "state"] as const)
    if (!draft[f].trim()) add(f, "missing", "required");
  if (!draft.postal_code.trim()) add("postal_code", "missing", "required");
  else if (!/^\d{5}$/.test(draft.postal_code.trim())) add("postal_code", "error", "postal");
  if (!draft.email.trim()) add("email", "missing", "required");
  else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(draft.email.trim())) add("email", "error", "email");
  const phone = draft.phone.replace(/[\s()-]/g, "");
  if (!phone) add("phone", "missing", "required");
  else if (!/^\d{10}$/.test(phone)) add("phone", "error", "phone");

  if (persona === "moral" && draft.representatives.length === 0)
    add("representatives", "missing", "reps");
  for (const rep of draft.representatives) {
    if (!rep.name.trim()) add("representative_name", "missing", "required", {}, rep.id);
    const curp = up(rep.curp);
    if (!curp) add("representative_curp", "missing", "required", {}, rep.id);
    else if (!/^[A-Z]{4}\d{6}[HMX][A-Z]{2}[A-Z]{3}[A-Z\d]\d$/.test(curp))
      add("representative_curp", "error", "curp", {}, rep.id);
    if (persona === "moral" && !rep.power_of_attorney.trim())
      add("representative_power", "missing", "required", {}, rep.id);
  }

  if (!draft.activity.trim()) add("activity", "missing", "required");
  if (draft.scian.trim() && !/^\d{6}$/.test(draft.scian.trim())) add("scian", "error", "scian");
  if (!draft.sector) add("sector", "missing", "required");
  const workers = draft.workers.trim();
  if (!workers) add("workers", "missing", "required");
  else if (!/^\d+$/.test(workers)) add("workers", "error", "workers");
  const sales = draft.annual_sales.replace(/[\s,$]/g, "");
  if (!sales) add("annual_sales", "missing", "required");
  else if (!/^\d+(\.\d{1,2})?$/.test(sales)) add("annual_sales", "error", "sales");
  if (!draft.employer) add("employer", "missing", "required");
  else if (draft.employer !== "yes" && draft.employer !== "no") add("employer", "error", "employer");

  const clabe = draft.clabe.replace(/\s/g, "");
  let bank: string | null = null;
  if (/^\d{3}/.test(clabe)) bank = BANKS[clabe.slice(0, 3)] ?? null;
  if (!clabe) add("clabe", "missing", "required");
  else if (!/^\d{18}$/.test(clabe)) add("clabe", "error", "clabe");
  else if (!clabeCheck(clabe)) add("clabe", "error", "clabe_check");

  const sections: SectionReview[] = SECTIONS.map((section: Section) => {
    const mine = issues.filter((i) => i.field && FIELD_SECTION[i.field] === section);
    const count = (s: Severity) => mine.filter((i) => i.severity === s).length;
    return {
      section,
      missing: count("missing"),
      errors: count("error"),
      warnings: count("warning"),
      done: count("missing") === 0 && count("error") === 0,
    };
  });

  let size: ReviewView["size"] = null;
  const sector = draft.sector;
  if (sector && /^\d+$/.test(workers) && /^\d+(\.\d{1,2})?$/.test(sales)) {
    const score = Number(workers) * 0.1 + (Number(sales) / 1_000_000) * 0.9;
    const caps: [Size, number][] = [
      ["micro", 4.6],
      ["small", sector === "commerce" ? 93 : 95],
      ["medium", sector === "industry" ? 250 : 235],
    ];
    const found = caps.find(([, cap]) => score <= cap);
    size = { score: String(Math.round(score * 100) / 100), size: found ? found[0] : "large" };
  }

  return {
    persona,
    issues,
    sections,
    size,
    bank,
    in_benito_juarez: /^03[0-8]\d\d$|^039[0-4]\d$/.test(draft.postal_code.trim()),
    complete: sections.every((s) => s.done),
  };
}

function summary(b: Stored): BusinessSummary {
  const r = review(b.draft);
  return {
    id: b.id,
    rfc: b.draft.rfc.toUpperCase(),
    name: b.draft.name,
    persona: r.persona,
    health: b.damaged ? "damaged" : "ok",
    damage: b.damaged ? say("damage") : null,
    sections_done: r.sections.filter((s) => s.done).length,
    sections_total: r.sections.length,
    complete: r.complete,
    updated_at: b.updated_at,
  };
}

function seed(): Stored[] {
  const papeleria = emptyDraft();
  Object.assign(papeleria, {
    persona: "fisica", rfc: "GOML850312AB7", name: "María de la Luz Gómez López",
    regimen: "626", street: "Av. División del Norte", exterior_number: "1204",
    neighborhood: "Santa Cruz Atoyac", postal_code: "03310", municipality: "Benito Juárez",
    state: "CMX", email: "papeleria.estrella@example.mx",
  });
  const servicios = emptyDraft();
  Object.assign(servicios, {
    persona: "moral", rfc: "SIV120415KJ3", name: "Servicios Integrales del Valle, S.A. de C.V.",
    regimen: "601", street: "Insurgentes Sur", exterior_number: "1457", interior_number: "Piso 3",
    neighborhood: "Insurgentes Mixcoac", postal_code: "03920", municipality: "Benito Juárez",
    state: "CMX", email: "contacto@serviciosvalle.example.mx", phone: "5555123456",
    activity: "Limpieza de oficinas y mantenimiento de áreas verdes", scian: "561720",
    sector: "services", workers: "25", annual_sales: "20000000", employer: "yes",
    clabe: "012180001234567897",
    representatives: [{ id: uuid(), name: "Jorge Alberto Ruiz Salas", curp: "RUSJ700101HDFZLR09", power_of_attorney: "Escritura 45,210, Notaría 151 CDMX" }],
  });
  const now = Date.now();
  return [
    { id: uuid(), draft: papeleria, updated_at: new Date(now - 3_600_000).toISOString() },
    { id: uuid(), draft: servicios, updated_at: new Date(now - 86_400_000).toISOString() },
    { id: uuid(), draft: { ...emptyDraft(), name: "Tlapalería Hermanos Ortiz", rfc: "OOHJ770101QW2" }, updated_at: new Date(now - 5 * 86_400_000).toISOString(), damaged: true },
  ];
}

function load(): void {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (raw) {
      const parsed = JSON.parse(raw) as { locale: Locale; businesses: Stored[] };
      locale = parsed.locale;
      businesses = parsed.businesses;
      return;
    }
  } catch {
    // fall through to the sample data
  }
  businesses = seed();
}

function persist(): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ locale, businesses }));
  } catch {
    // private mode: keep it in memory
  }
}

function find(id: string): Stored {
  const b = businesses.find((x) => x.id === id && !x.damaged);
  if (!b) throw { code: "not_found", message: say("not_found"), field: null };
  return b;
}

function failing(): boolean {
  try {
    return localStorage.getItem("ventanilla.mock.fail") === "1";
  } catch {
    return false;
  }
}

function saved(b: Stored): Saved {
  b.updated_at = new Date().toISOString();
  persist();
  return { draft: structuredClone(b.draft), review: review(b.draft), saved_at: b.updated_at };
}

function view(b: Stored): BusinessView {
  return { id: b.id, draft: structuredClone(b.draft), review: review(b.draft) };
}

function info(): AppInfo {
  return { version: "0.1.0-dev", data_dir: "(memoria del navegador)", locale };
}

function handle(command: string, args: Record<string, unknown>): unknown {
  switch (command) {
    case "app_info":
      return info();
    case "set_locale":
      locale = args.locale === "en" ? "en" : "es";
      persist();
      return info();
    case "catalogues":
      return CATALOGUES;
    case "list_businesses": {
      const q = String(args.query ?? "").trim().toLowerCase();
      return businesses
        .filter((b) => !q || b.draft.name.toLowerCase().includes(q) || b.draft.rfc.toLowerCase().includes(q))
        .sort((a, b) => b.updated_at.localeCompare(a.updated_at))
        .map(summary);
    }
    case "create_business": {
      const nb = args.business as NewBusiness;
      const draft = emptyDraft();
      draft.persona = nb.persona === "fisica" || nb.persona === "moral" ? nb.persona : "";
      draft.rfc = nb.rfc.trim().toUpperCase();
      draft.name = nb.name.trim();
      const b: Stored = { id: uuid(), draft, updated_at: new Date().toISOString() };
      businesses.push(b);
      persist();
      return view(b);
    }
    case "delete_business":
      businesses = businesses.filter((b) => b.id !== args.id);
      persist();
      return null;
    case "open_business":
      return view(find(String(args.id)));
    case "set_field": {
      const b = find(String(args.id));
      if (failing()) throw { code: "storage", message: say("failure"), field: null };
      const field = args.field as DraftField;
      let value = String(args.value);
      if (["rfc", "curp", "clabe"].includes(field)) value = value.trim().toUpperCase();
      b.draft[field] = value;
      return saved(b);
    }
    case "add_representative": {
      const b = find(String(args.id));
      b.draft.representatives.push({ id: uuid(), name: "", curp: "", power_of_attorney: "" });
      return saved(b);
    }
    case "update_representative": {
      const b = find(String(args.id));
      if (failing()) throw { code: "storage", message: say("failure"), field: null };
      const rep = args.representative as Representative;
      const i = b.draft.representatives.findIndex((r) => r.id === rep.id);
      if (i >= 0) b.draft.representatives[i] = { ...rep, curp: rep.curp.trim().toUpperCase() };
      return saved(b);
    }
    case "remove_representative": {
      const b = find(String(args.id));
      b.draft.representatives = b.draft.representatives.filter((r) => r.id !== args.representative_id);
      return saved(b);
    }
    case "report_ready":
      return null;
    default:
      throw `command ${command} not found`;
  }
}

load();

/** Answers like `invoke`, after a small random delay so ordering bugs show up. */
export const mockInvoke: Invoker = <T>(command: string, args: Record<string, unknown> = {}) =>
  new Promise<T>((resolve, reject) => {
    const delay = 10 + Math.random() * 50;
    setTimeout(() => {
      try {
        resolve(structuredClone(handle(command, args)) as T);
      } catch (error) {
        reject(error);
      }
    }, delay);
  });
