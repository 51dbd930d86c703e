import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { verify } from "@node-rs/argon2";
import { sealData, unsealData } from "iron-session";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { AuthConfig } from "@/lib/schemas/auth";
import { AppError } from "../errors";
import type { Identity } from "./access";
import { cookieHeader, readCookie } from "./cookies";
import { OidcSignIn } from "./oidc";
import { AuthStore, type SessionLimits } from "./store";

export const SESSION_COOKIE = "quorum_session";

/** Failed sign-ins allowed per user name, per client address, and in all, before a pause. */
export const SIGN_IN_LIMITS = { perUser: 5, perAddress: 20, overall: 100, windowSeconds: 15 * 60 } as const;

/** A hash of a password no user has: a name that does not exist costs what a wrong password does. */
const DECOY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$yMaXd5Khcqywi/fZp42gTg$YcxSf0KwilizxsTf5hP4k5Gc4aTZeAgLJVz+yso1ubc";

/**
 * The session secret: QUORUM_SESSION_SECRET (at least 32 characters), else one made once and kept
 * in `<data dir>/session-secret` (readable by its owner only), so sessions outlive a restart.
 */
export function sessionSecret(dataDir: string, env: Record<string, string | undefined>): string {
  const given = env.QUORUM_SESSION_SECRET;
  if (given !== undefined) {
    if (given.length < 32) throw new Error("QUORUM_SESSION_SECRET has at least 32 characters");
    return given;
  }
  const file = path.join(dataDir, "session-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const secret = crypto.randomBytes(32).toString("base64url");
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return secret;
  }
}

/** What a sign-in tells the caller: who, and the cookie that carries the session. */
export interface SignedIn {
  identity: Identity;
  cookie: string;
}

/**
 * Sign-in and sessions for a Quorum whose config file has an `auth` section: local users checked
 * against their Argon2id hashes, failed attempts limited per user name, per client address and
 * in all (429 `too_many_attempts`, saying when to try again), sessions in the store, and a
 * browser's session id sealed (encrypted and signed, iron-session) in an httpOnly, SameSite=Lax
 * cookie, Secure when the console is reached over TLS.
 */
export class AuthService {
  readonly store: AuthStore;
  readonly limits: SessionLimits;
  private readonly failures = {
    user: new RateLimiterMemory({ points: SIGN_IN_LIMITS.perUser, duration: SIGN_IN_LIMITS.windowSeconds }),
    address: new RateLimiterMemory({ points: SIGN_IN_LIMITS.perAddress, duration: SIGN_IN_LIMITS.windowSeconds }),
    overall: new RateLimiterMemory({ points: SIGN_IN_LIMITS.overall, duration: 60 }),
  };

  /** Sign-in through the OpenID Connect provider of `auth.oidc`, if there is one. */
  readonly oidc: OidcSignIn | null;

  constructor(
    readonly config: AuthConfig,
    dataDir: string,
    private readonly secret: string,
    env: Record<string, string | undefined> = {},
  ) {
    this.oidc = config.oidc ? new OidcSignIn(config.oidc, secret, env) : null;
    fs.mkdirSync(dataDir, { recursive: true });
    this.store = new AuthStore(path.join(dataDir, "auth.sqlite"));
    this.limits = {
      idleMs: config.session.idleMinutes * 60_000,
      absoluteMs: config.session.absoluteHours * 3_600_000,
    };
  }

  /** Refuses (429) while any limit that applies to this attempt is spent. */
  private async refuseIfLimited(user: string, address: string): Promise<void> {
    const spent = await Promise.all([
      this.failures.user.get(user.toLowerCase()),
      this.failures.address.get(address),
      this.failures.overall.get("all"),
    ]);
    const caps = [SIGN_IN_LIMITS.perUser, SIGN_IN_LIMITS.perAddress, SIGN_IN_LIMITS.overall];
    const waits = spent.map((r, i) => (r && r.consumedPoints >= (caps[i] as number) ? r.msBeforeNext : 0));
    const wait = Math.max(...waits);
    if (wait > 0) {
      const minutes = Math.ceil(wait / 60_000);
      const which = waits[0] ? `for the user "${user}"` : waits[1] ? "from this address" : "on this Quorum";
      throw new AppError(
        "too_many_attempts",
        `Too many failed sign-ins ${which}; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`,
      );
    }
  }

  private async countFailure(user: string, address: string): Promise<void> {
    const ignore = (err: unknown) => {
      if (!(err instanceof RateLimiterRes)) throw err;
    };
    await this.failures.user.penalty(user.toLowerCase()).catch(ignore);
    await this.failures.address.penalty(address).catch(ignore);
    await this.failures.overall.penalty("all").catch(ignore);
  }

  /** Checks a local user's password; a session and its cookie on success, 401 otherwise. */
  async signIn(user: string, password: string, address: string, secure: boolean): Promise<SignedIn> {
    await this.refuseIfLimited(user, address);
    const entry = this.config.users.find((u) => u.name === user);
    // Verified even for an unknown name, so the answer's timing does not tell which names exist.
    const ok = await verify(entry?.passwordHash ?? DECOY_HASH, password).catch(() => false);
    if (!entry || !ok) {
      await this.countFailure(user, address);
      throw new AppError("unauthenticated", "Wrong user name or password");
    }
    await this.failures.user.delete(user.toLowerCase());
    return this.openSession({ name: entry.name, groups: [], via: "password" }, secure);
  }

  /** A new session for `identity` (a password checked here, or an OpenID Connect sign-in), and its cookie. */
  async openSession(identity: Identity, secure: boolean): Promise<SignedIn> {
    const id = this.store.create(identity);
    const sealed = await sealData({ sid: id }, { password: this.secret, ttl: this.limits.absoluteMs / 1000 });
    return { identity, cookie: this.cookie(sealed, this.limits.absoluteMs / 1000, secure) };
  }

  /** The session id a request's cookie carries, if its seal is good. */
  private async sessionId(cookieHeader: string | null): Promise<string | null> {
    const sealed = readCookie(cookieHeader, SESSION_COOKIE);
    if (!sealed) return null;
    const data = await unsealData<{ sid?: unknown }>(sealed, { password: this.secret }).catch(() => ({}));
    const sid = (data as { sid?: unknown }).sid;
    return typeof sid === "string" ? sid : null;
  }

  /** Who the request's session is, or null (no cookie, a bad seal, an ended or expired session). */
  async identify(cookieHeader: string | null): Promise<Identity | null> {
    const sid = await this.sessionId(cookieHeader);
    return sid ? this.store.find(sid, this.limits) : null;
  }

  /** Ends the request's session, if any; returns the cookie that clears it in the browser. */
  async signOut(cookieHeader: string | null, secure: boolean): Promise<string> {
    const sid = await this.sessionId(cookieHeader);
    if (sid) this.store.end(sid);
    return this.cookie("", 0, secure);
  }
  private cookie(value: string, maxAgeSeconds: number, secure: boolean): string {
    return cookieHeader(SESSION_COOKIE, value, { path: "/", maxAgeSeconds, secure });
  }
}
