// @vitest-environment jsdom
// The date field as a person uses it: typing, leaving it, the arrow keys, and a value
// that changes from outside while it is shown.
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useLocale } from "../lib/i18n.svelte";
import DateField from "./DateField.svelte";

let target: HTMLElement;
let field: ReturnType<typeof mount> | null = null;
let sent: string[];
const props = $state({ value: "", max: undefined as string | undefined });

function show(value = "", max?: string): HTMLInputElement {
  props.value = value;
  props.max = max;
  field = mount(DateField, {
    target,
    props: {
      id: "issued",
      get value() {
        return props.value;
      },
      get max() {
        return props.max;
      },
      // The caller stores what it is given, as the checklist does.
      onchange: (day: string) => {
        sent.push(day);
        props.value = day;
      },
    },
  });
  flushSync();
  return target.querySelector("input")!;
}

function type(input: HTMLInputElement, text: string): void {
  input.value = text;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
}

function leave(input: HTMLInputElement): void {
  input.dispatchEvent(new FocusEvent("blur"));
  flushSync();
}

function press(input: HTMLInputElement, key: string): void {
  input.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
  flushSync();
}

const error = () => target.querySelector("[data-testid='date-error']")?.textContent?.trim() ?? null;

beforeEach(() => {
  useLocale("es");
  sent = [];
  target = document.createElement("div");
  document.body.append(target);
});

afterEach(() => {
  if (field) unmount(field);
  field = null;
  target.remove();
});

describe("the date field", () => {
  it("shows the stored day as dd/mm/aaaa and says how to write one", () => {
    const input = show("2026-12-03");
    expect(input.value).toBe("03/12/2026");
    expect(input.placeholder).toBe("dd/mm/aaaa");
    expect(input.type).toBe("text");
    const format = document.getElementById("issued-format");
    expect(input.getAttribute("aria-describedby")).toContain("issued-format");
    expect(format?.textContent).toContain("dd/mm/aaaa");
  });

  it("follows the app's language for its placeholder, day first in English too", () => {
    useLocale("en");
    expect(show().placeholder).toBe("dd/mm/yyyy");
  });

  it("sends the day as soon as it is whole, and writes it back neatly on leaving", () => {
    const input = show();
    for (const text of ["3", "3/", "3/12", "3/12/2", "3/12/202"]) type(input, text);
    expect(sent).toEqual([]);
    type(input, "3/12/2026");
    expect(sent).toEqual(["2026-12-03"]);
    leave(input);
    expect(input.value).toBe("03/12/2026");
    expect(sent).toEqual(["2026-12-03"]);
  });

  it("keeps an impossible day as typed, with the message, and sends nothing", () => {
    const input = show("2026-12-03");
    type(input, "31/02/2026");
    expect(error()).toBeNull();
    leave(input);
    expect(input.value).toBe("31/02/2026");
    expect(error()).toBe("Escribe la fecha como dd/mm/aaaa, por ejemplo 03/12/2026.");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-describedby")).toContain("issued-error");
    expect(sent).toEqual([]);
    // Mended: the message goes at once.
    type(input, "28022026");
    expect(error()).toBeNull();
    expect(sent).toEqual(["2026-02-28"]);
  });

  it("sends an emptied field only when it is left", () => {
    const input = show("2026-12-03");
    type(input, "");
    expect(sent).toEqual([]);
    leave(input);
    expect(sent).toEqual([""]);
    expect(error()).toBeNull();
  });

  it("steps the day with the arrow keys, not past the last day allowed", () => {
    const input = show("2026-12-02", "2026-12-03");
    press(input, "ArrowUp");
    expect(input.value).toBe("03/12/2026");
    press(input, "ArrowUp");
    expect(input.value).toBe("03/12/2026");
    press(input, "ArrowDown");
    press(input, "ArrowDown");
    expect(input.value).toBe("01/12/2026");
    expect(sent).toEqual(["2026-12-03", "2026-12-02", "2026-12-01"]);
  });

  it("shows a day changed from outside, and an emptied one", () => {
    const input = show("2026-12-03");
    props.value = "2027-01-15";
    flushSync();
    expect(input.value).toBe("15/01/2027");
    props.value = "";
    flushSync();
    expect(input.value).toBe("");
    expect(sent).toEqual([]);
  });
});
