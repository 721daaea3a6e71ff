// The autosave: edits are sent in order, the last value wins, and answers never undo
// what the person is typing.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Api } from "./api";
import type { BusinessId, BusinessView, Field, RegistrationDraft, Representative, ReviewView, Saved } from "./bindings";
import { DRAFT_FIELDS } from "./form";
import { Session, repKey } from "./session.svelte";

function emptyDraft(): RegistrationDraft {
  const base = Object.fromEntries(DRAFT_FIELDS.map((f) => [f, ""]));
  return { ...base, representatives: [] } as unknown as RegistrationDraft;
}

function reviewOf(draft: RegistrationDraft): ReviewView {
  const missing = { code: "required", severity: "missing", field: "rfc", section: "identity", representative: null, message: "Falta" } as const;
  return {
    issues: draft.rfc ? [] : [missing],
    facts: {
      persona: null,
      sections: [],
      size: null,
      annual_sales: null,
      bank: draft.clabe.startsWith("012") ? "BBVA México" : null,
      in_benito_juarez: false,
      complete: false,
    },
  };
}

interface Call {
  command: string;
  args: unknown[];
  resolve: () => void;
  fail: (message: string) => void;
}

/** A Rust side whose answers the test releases one by one. */
function fakeBackend() {
  const stored = emptyDraft();
  const calls: Call[] = [];
  let counter = 0;
  const answer = (command: string, args: unknown[], apply: () => void) =>
    new Promise<Saved>((resolve, reject) => {
      calls.push({
        command,
        args,
        resolve: () => {
          apply();
          resolve({ draft: structuredClone(stored), review: reviewOf(stored), saved_at: "2025-01-01T12:00:00Z" });
        },
        fail: (message) => reject({ code: "storage", message, field: null }),
      });
    });
  const api = {
    setField: (_id: string, field: Field, value: string) =>
      answer("set_field", [field, value], () => {
        // The store normalises identifiers, like the real one.
        (stored as unknown as Record<string, string>)[field] = field === "rfc" ? value.toUpperCase() : value;
      }),
    addRepresentative: () =>
      answer("add_representative", [], () => {
        counter += 1;
        stored.representatives.push({ id: `r${counter}`, name: "", curp: "", power_of_attorney: "" });
      }),
    updateRepresentative: (_id: string, rep: Representative) =>
      answer("update_representative", [rep], () => {
        const i = stored.representatives.findIndex((r) => r.id === rep.id);
        if (i >= 0) stored.representatives[i] = { ...rep };
      }),
    removeRepresentative: (_id: string, repId: string) =>
      answer("remove_representative", [repId], () => {
        stored.representatives = stored.representatives.filter((r) => r.id !== repId);
      }),
    openBusiness: (id: BusinessId) =>
      Promise.resolve<BusinessView>({ id, draft: structuredClone(stored), review: reviewOf(stored) }),
  } as unknown as Api;
  return { api, calls, stored };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Releases queued calls one at a time until none is waiting. */
async function drain(calls: Call[], from = 0): Promise<number> {
  let i = from;
  for (; ; i++) {
    await flush();
    const call = calls[i];
    if (!call) return i;
    call.resolve();
  }
}

function open(backend: ReturnType<typeof fakeBackend>): Session {
  const draft = emptyDraft();
  return new Session({ id: "b1" as BusinessId, draft, review: reviewOf(draft) }, backend.api);
}

afterEach(() => {
  vi.useRealTimers();
});

describe("Session autosave", () => {
  it("sends every edit, one at a time, in typing order", async () => {
    const backend = fakeBackend();
    const session = open(backend);
    session.focus("name");
    for (const value of ["P", "Pa", "Pap"]) session.setField("name", value);
    await flush();
    expect(backend.calls).toHaveLength(1); // the next waits for the answer
    expect(session.saveState).toBe("saving");
    await drain(backend.calls);
    expect(backend.calls.map((c) => c.command)).toEqual(["set_field", "set_field", "set_field"]);
    expect(backend.stored.name).toBe("Pap");
    expect(session.saveState).toBe("saved");
    expect(session.savedAt).toBe("2025-01-01T12:00:00Z");
  });

  it("never overwrites the focused field with an older echo", async () => {
    const backend = fakeBackend();
    const session = open(backend);
    session.focus("rfc");
    session.setField("rfc", "goml");
    await flush();
    // The person keeps typing while the first answer is on its way.
    session.setField("rfc", "goml85");
    backend.calls[0]!.resolve();
    await flush();
    expect(session.draft.rfc).toBe("goml85");
    await drain(backend.calls, 1);
    // Still focused: the normalised echo waits.
    expect(session.draft.rfc).toBe("goml85");
    expect(session.review.issues).toEqual([]);
    session.blur("rfc");
    expect(session.draft.rfc).toBe("GOML85");
    expect(session.touched.rfc).toBe(true);
  });

  it("counts a field as touched once left after a change, never for focus alone", () => {
    const session = open(fakeBackend());
    session.focus("name");
    session.blur("name");
    expect(session.touched.name).toBeUndefined();
    session.focus("name");
    session.setField("name", "P");
    session.setField("name", "");
    expect(session.touched.name).toBeUndefined();
    session.blur("name");
    expect(session.touched.name).toBe(true);
    session.focus(repKey("r1", "curp"));
    session.blur(repKey("r1", "curp"));
    expect(session.touched[repKey("r1", "curp")]).toBeUndefined();
  });

  it("applies each answer's review (e.g. the bank's name) at once", async () => {
    const backend = fakeBackend();
    const session = open(backend);
    session.focus("clabe");
    session.setField("clabe", "012");
    await drain(backend.calls);
    expect(session.review.facts.bank).toBe("BBVA México");
    expect(session.draft.clabe).toBe("012");
  });

  it("keeps a failed value, says so, and stores it on retry", async () => {
    vi.useFakeTimers();
    const backend = fakeBackend();
    const session = open(backend);
    session.focus("email");
    session.setField("email", "ana@example.mx");
    await flush();
    backend.calls[0]!.fail("No se pudo guardar: disco lleno.");
    await flush();
    expect(session.saveState).toBe("error");
    expect(session.errorMessage).toBe("No se pudo guardar: disco lleno.");
    expect(session.unsaved).toBe(true);
    // A later successful edit elsewhere does not bring back the old stored value.
    session.blur("email");
    session.setField("phone", "5555123456");
    await flush();
    backend.calls[1]!.resolve();
    await flush();
    expect(session.draft.email).toBe("ana@example.mx");
    expect(session.saveState).toBe("error");
    // The automatic retry sends the value as it is now.
    await vi.advanceTimersByTimeAsync(2_000);
    backend.calls[2]!.resolve();
    await flush();
    expect(backend.calls[2]!.args).toEqual(["email", "ana@example.mx"]);
    expect(backend.stored.email).toBe("ana@example.mx");
    expect(session.saveState).toBe("saved");
    expect(session.errorMessage).toBeNull();
  });

  it("retries on demand", async () => {
    const backend = fakeBackend();
    const session = open(backend);
    session.setField("street", "Insurgentes");
    await flush();
    backend.calls[0]!.fail("falla");
    await flush();
    session.retry();
    await flush();
    backend.calls[1]!.resolve();
    await flush();
    expect(session.saveState).toBe("saved");
    session.dispose();
  });

  it("adds, edits and removes representatives", async () => {
    const backend = fakeBackend();
    const session = open(backend);
    session.addRepresentative();
    await drain(backend.calls);
    expect(session.draft.representatives.map((r) => r.id)).toEqual(["r1"]);
    expect(session.addedRep).toBe("r1");

    const rep = session.draft.representatives[0]!;
    session.focus(repKey("r1", "name"));
    rep.name = "Ana";
    session.saveRepresentative("r1", "name");
    rep.name = "Ana Ruiz";
    session.saveRepresentative("r1", "name");
    const used = await drain(backend.calls, 1);
    expect(backend.stored.representatives[0]!.name).toBe("Ana Ruiz");
    expect(session.draft.representatives[0]!.name).toBe("Ana Ruiz");

    session.removeRepresentative("r1");
    expect(session.draft.representatives).toEqual([]);
    await drain(backend.calls, used);
    expect(backend.stored.representatives).toEqual([]);
    expect(session.draft.representatives).toEqual([]);
  });
});
