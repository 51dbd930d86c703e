import "server-only";
import { sealData, unsealData } from "iron-session";
import * as client from "openid-client";
import type { OidcConfig } from "@/lib/schemas/auth";
import { AppError } from "../errors";
import { LOOPBACK } from "../http/boundary";
import type { Identity } from "./access";
import { cookieHeader } from "./cookies";

/** The cookie holding a sign-in's PKCE verifier, state and nonce between the two redirects. */
export const OIDC_COOKIE = "quorum_oidc";
/** How long a person has at the provider to sign in. */
const FLOW_SECONDS = 600;

interface Flow {
  verifier: string;
  state: string;
  nonce: string;
}

const loopback = (url: URL) => LOOPBACK.has(url.hostname);

/**
 * Sign-in through an OpenID Connect provider with openid-client: discovery (asked again after a
 * failure), the authorization code flow with PKCE, state and nonce, the ID token checked by the
 * library, and the user's name and groups read from its claims. Plain http is accepted only for an
 * issuer on loopback (a provider started next to Quorum for a test or a lab).
 */
export class OidcSignIn {
  private config: Promise<client.Configuration> | null = null;

  constructor(
    readonly settings: OidcConfig,
    private readonly secret: string,
    private readonly env: Record<string, string | undefined>,
  ) {}

  private configuration(): Promise<client.Configuration> {
    if (!this.config) {
      const issuer = new URL(this.settings.issuer);
      const clientSecret = this.env[this.settings.clientSecretEnv];
      if (!clientSecret)
        throw new AppError("conflict", `OpenID Connect needs its client secret in ${this.settings.clientSecretEnv}`);
      this.config = client
        .discovery(issuer, this.settings.clientId, clientSecret, undefined, {
          ...(issuer.protocol === "http:" && loopback(issuer) ? { execute: [client.allowInsecureRequests] } : {}),
          timeout: 10,
        })
        .catch((err: unknown) => {
          this.config = null;
          throw new AppError(
            "cluster_unavailable",
            `The OpenID Connect provider ${this.settings.issuer} did not answer its discovery: ${err instanceof Error ? err.message : String(err)}`,
          );
        });
    }
    return this.config;
  }

  /** Where to send the browser, and the sealed cookie that remembers this attempt. */
  async start(redirectUri: string, secure: boolean): Promise<{ location: string; cookie: string }> {
    const config = await this.configuration();
    const flow: Flow = {
      verifier: client.randomPKCECodeVerifier(),
      state: client.randomState(),
      nonce: client.randomNonce(),
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.settings.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: "S256",
      state: flow.state,
      nonce: flow.nonce,
    });
    const sealed = await sealData(flow, { password: this.secret, ttl: FLOW_SECONDS });
    return { location: url.href, cookie: flowCookie(sealed, FLOW_SECONDS, secure) };
  }

  /** The provider's answer (the callback URL as received) checked against this browser's attempt: who signed in. */
  async finish(callbackUrl: URL, sealed: string | null): Promise<Identity> {
    if (!sealed) throw new AppError("unauthenticated", "This sign-in was not started here, or took over 10 minutes");
    const flow = (await unsealData<Partial<Flow>>(sealed, { password: this.secret }).catch(
      () => ({}),
    )) as Partial<Flow>;
    if (!flow.verifier || !flow.state || !flow.nonce)
      throw new AppError("unauthenticated", "This sign-in was not started here, or took over 10 minutes");
    const config = await this.configuration();
    let claims: Record<string, unknown> | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims() as Record<string, unknown> | undefined;
    } catch (err) {
      const e = err as { error?: string; error_description?: string; message?: string };
      throw new AppError(
        "unauthenticated",
        `The OpenID Connect provider did not sign you in: ${e.error_description ?? e.error ?? e.message ?? String(err)}`,
      );
    }
    const name = claims?.[this.settings.usernameClaim] ?? claims?.sub;
    if (typeof name !== "string" || name === "")
      throw new AppError("unauthenticated", `The ID token names no user (${this.settings.usernameClaim} or sub)`);
    const raw = claims?.[this.settings.groupsClaim];
    const groups = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === "string") : [];
    return { name, groups, via: "oidc" };
  }
}

/** The Set-Cookie value of a sign-in's flow cookie; an empty value with 0 ends it. */
export function flowCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return cookieHeader(OIDC_COOKIE, value, { path: "/api/auth/oidc", maxAgeSeconds, secure });
}
