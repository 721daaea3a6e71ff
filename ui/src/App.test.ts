// @vitest-environment jsdom
// The whole front end against the in-memory backend: the ids and states the
// end-to-end tests and the benchmark rely on, and the main flows.
import { flushSync, mount, unmount } from "svelte";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import App from "./App.svelte";
import { useBackend } from "./lib/api";
import { mockInvoke } from "./lib/mock/backend";

// jsdom has no modal dialogs yet.
beforeAll(() => {
  const proto = HTMLDialogElement.prototype;
  proto.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute("open", "");
  };
  proto.close = function (this: HTMLDialogElement) {
    this.removeAttribute("open");
    this.dispatchEvent(new Event("close"));
  };
  Element.prototype.scrollIntoView ??= () => {};
  Element.prototype.scrollTo ??= () => {};
});

let app: Record<string, unknown>;

async function waitFor<T>(probe: () => T | null | undefined | false, what: string): Promise<T> {
  const started = Date.now();
  for (;;) {
    flushSync();
    const found = probe();
    if (found) return found;
    if (Date.now() - started > 3000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

const $ = <E extends Element = HTMLElement>(css: string) => document.querySelector<E>(css);
const $$ = (css: string) => [...document.querySelectorAll<HTMLElement>(css)];

function type(css: string, value: string): void {
  const input = $<HTMLInputElement>(css)!;
  input.focus();
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
}

const saved = () => waitFor(() => $('[data-testid="save-state"][data-state="saved"]'), "saved");

describe("Ventanilla UI", () => {
  beforeAll(async () => {
    localStorage.clear();
    useBackend(mockInvoke);
    app = mount(App, { target: document.body });
    await waitFor(() => $('main#app[data-ready="true"]'), "data-ready");
  });

  afterAll(() => unmount(app));

  it("lists businesses; a damaged one can only be deleted", async () => {
    const cards = await waitFor(() => $$('[data-testid="business-card"]').length === 3 && $$('[data-testid="business-card"]'), "cards");
    const damaged = cards.find((c) => c.dataset.health === "damaged")!;
    expect(damaged.dataset.id).toBeTruthy();
    expect(damaged.querySelector("button[data-open]")).toBeNull();
    expect(damaged.querySelector("button[data-delete]")).not.toBeNull();
    expect(damaged.textContent).toContain("dañados");
    expect(cards[0]!.textContent).toMatch(/\d de 7 secciones completas/);
    expect($("#home-search")?.getAttribute("placeholder")).toBe("Nombre o RFC");
    expect($('label[for="home-search"]')).not.toBeNull();
  });

  it("filters by name or RFC as you type", async () => {
    type("#home-search", "siv1204");
    await waitFor(() => $$('[data-testid="business-card"]').length === 1, "one result");
    type("#home-search", "zzzz");
    await waitFor(() => $('[data-testid="home-no-results"]'), "no results");
    type("#home-search", "");
    await waitFor(() => $$('[data-testid="business-card"]').length === 3, "all again");
  });

  it("asks before deleting, names the business, and Escape cancels", async () => {
    const card = $$('[data-testid="business-card"]').find((c) => c.dataset.health === "ok")!;
    card.querySelector<HTMLButtonElement>("button[data-delete]")!.click();
    const dialog = await waitFor(() => $("dialog[open]"), "dialog");
    expect(dialog.getAttribute("aria-labelledby")).toBe("delete-title");
    expect($("#delete-title")!.textContent).toContain(card.querySelector("h3")!.textContent!.trim());
    expect(document.activeElement?.id).toBe("delete-cancel");
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await waitFor(() => !$("dialog[open]"), "dialog closed");
    expect($$('[data-testid="business-card"]')).toHaveLength(3);
  });

  it("creates a persona moral and opens the wizard on its identity", async () => {
    $<HTMLButtonElement>("#new-business")!.click();
    await waitFor(() => $("#create-confirm"), "create dialog");
    $<HTMLInputElement>("#create-persona-moral")!.click();
    $<HTMLButtonElement>("#create-confirm")!.click();
    await waitFor(() => $("#field-rfc"), "wizard");
    expect($<HTMLInputElement>("#field-persona-moral")!.checked).toBe(true);
    expect($("#go-home")).not.toBeNull();
    expect($('[data-testid="save-state"]')!.dataset.state).toBe("saved");
    expect($("#nav-summary")).not.toBeNull();
    expect($("#nav-identity")!.getAttribute("aria-current")).toBe("step");
  });

  it("saves as you type and explains a wrong RFC next to the field", async () => {
    type("#field-rfc", "tle-0805");
    expect($('[data-testid="save-state"]')!.dataset.state).toBe("saving");
    await saved();
    const issue = await waitFor(() => $("#issue-rfc"), "issue");
    expect(issue.textContent).toContain("RFC");
    const input = $("#field-rfc")!;
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-describedby")).toContain("issue-rfc");
    expect($('label[for="field-rfc"]')).not.toBeNull();
  });

  it("does not shout 'missing' before a field was left", async () => {
    $<HTMLButtonElement>("#nav-contact")!.click();
    await waitFor(() => $("#field-email"), "contact");
    expect($("#issue-email")).toBeNull();
    $("#field-email")!.focus();
    $("#field-email")!.blur();
    flushSync();
    await waitFor(() => $("#issue-email"), "missing after blur");
  });

  it("adds a representative and focuses its name", async () => {
    $<HTMLButtonElement>("#wizard-next")!.click();
    await waitFor(() => $("#rep-add"), "representatives");
    $<HTMLButtonElement>("#rep-add")!.click();
    const name = await waitFor(() => $("#rep-0-name"), "representative");
    await waitFor(() => document.activeElement === name, "focus on the new name");
    expect($("#rep-0-curp")).not.toBeNull();
    expect($("#rep-0-power")).not.toBeNull();
    type("#rep-0-curp", "XYZ");
    await saved();
    await waitFor(() => $("#issue-rep-0-curp"), "representative issue");
  });

  it("shows the size, and the bank as soon as the CLABE says it", async () => {
    $<HTMLButtonElement>("#nav-activity")!.click();
    await waitFor(() => $("#field-workers"), "activity");
    const sector = $<HTMLSelectElement>("#field-sector")!;
    sector.value = "services";
    sector.dispatchEvent(new Event("input", { bubbles: true }));
    type("#field-workers", "25");
    type("#field-annual_sales", "20000000");
    await saved();
    await waitFor(() => $('[data-testid="size"]')?.textContent?.includes("pequeña empresa (puntaje 20.5)"), "size");
    $<HTMLButtonElement>("#nav-bank")!.click();
    type("#field-clabe", "012");
    await saved();
    await waitFor(() => $('[data-testid="bank-name"]')?.textContent?.includes("BBVA México"), "bank");
  });

  it("summarises what is missing and jumps to the field", async () => {
    $<HTMLButtonElement>("#nav-summary")!.click();
    const items = await waitFor(() => $$(".summary button.item").length > 0 && $$(".summary button.item"), "items");
    const email = items.find((b) => b.dataset.field === "email")!;
    email.click();
    await waitFor(() => document.activeElement?.id === "field-email", "focus on email");
    expect($("#nav-contact")!.getAttribute("aria-current")).toBe("step");
  });

  it("moves between sections with Alt+arrows", async () => {
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", altKey: true, bubbles: true }));
    await waitFor(() => $("#nav-representatives")?.getAttribute("aria-current") === "step", "next");
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowLeft", altKey: true, bubbles: true }));
    await waitFor(() => $("#nav-contact")?.getAttribute("aria-current") === "step", "previous");
  });

  it("switches language", async () => {
    $<HTMLButtonElement>("#locale-en")!.click();
    await waitFor(() => $("#wizard-next")?.textContent?.includes("Next"), "English");
    expect(document.documentElement.lang).toBe("en-US");
    $<HTMLButtonElement>("#locale-es")!.click();
    await waitFor(() => $("#wizard-next")?.textContent?.includes("Siguiente"), "Spanish");
  });

  it("goes back home with the new business listed", async () => {
    $<HTMLButtonElement>("#go-home")!.click();
    await waitFor(() => $$('[data-testid="business-card"]').length === 4, "four cards");
    expect($$('[data-testid="business-card"]')[0]!.textContent).toContain("TLE-0805");
  });
});
