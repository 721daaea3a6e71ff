import { describe, expect, it } from "vitest";
import { renewalMessage } from "./fiel";

describe("renewalMessage", () => {
  const renewal = (days_left: number, expired = false) => ({
    days_left,
    expired,
    not_after_local: "01/03/2027 11:30",
  });

  it("says how many days are left, and warns", () => {
    expect(renewalMessage(renewal(12))).toEqual({
      key: "fiel.renewal.other",
      params: { n: 12, date: "01/03/2027 11:30" },
      tone: "warn",
    });
    expect(renewalMessage(renewal(1)).key).toBe("fiel.renewal.one");
    expect(renewalMessage(renewal(0)).key).toBe("fiel.renewal.today");
  });

  it("is an error once the certificate has expired, even on its last day", () => {
    expect(renewalMessage(renewal(0, true))).toMatchObject({ key: "fiel.renewal.expired", tone: "error" });
    expect(renewalMessage(renewal(-3, true)).tone).toBe("error");
  });
});
