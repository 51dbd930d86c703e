import { describe, expect, it } from "vitest";
import { httpErrorOf } from "../errors";
import { WireError } from "../kafka/wire-error";
import { explainSaslFailure } from "./gateway";

const sasl = { mechanism: "SCRAM-SHA-512", username: "quorum", password: "pw-1234" } as const;
const refused = new WireError(
  "127.0.0.1:20092: Connection failed: SASL authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512",
  "connection",
);

describe("explainSaslFailure", () => {
  it("says SASL, the user and the mechanism up front, then the broker's words, as 503", () => {
    const err = explainSaslFailure(refused, sasl);
    expect(httpErrorOf(err)).toEqual({
      status: 503,
      code: "cluster_unavailable",
      message: `SASL authentication failed for user quorum with mechanism SCRAM-SHA-512: ${refused.message}`,
    });
  });

  it("keeps whether a mutation's request was sent", () => {
    const mutation = new WireError(refused.message, "connection", { mutation: true });
    expect((explainSaslFailure(mutation, sasl) as WireError).mutation).toBe(true);
  });

  it("leaves other failures, and clusters without SASL, as they are", () => {
    const tcp = new WireError("127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1", "connection");
    expect(explainSaslFailure(tcp, sasl)).toBe(tcp);
    expect(explainSaslFailure(refused, null)).toBe(refused);
    const timeout = new WireError("127.0.0.1:20092 could not be reached within 4000 ms", "timeout");
    expect(explainSaslFailure(timeout, sasl)).toBe(timeout);
    const plain = new Error("SASL something");
    expect(explainSaslFailure(plain, sasl)).toBe(plain);
  });
});
