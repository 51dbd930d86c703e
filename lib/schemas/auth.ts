import { z } from "zod";

/** Roles, each allowed what the one before it is and more (see server/auth/policy.ts). */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Whether the role `held` allows what `needed` may do. */
export const covers = (held: Role, needed: Role): boolean => ROLES.indexOf(held) >= ROLES.indexOf(needed);

/** A name pattern: `*` stands for any run of characters, everything else for itself. */
const pattern = z.string().min(1, "an empty pattern matches nothing").max(249);

/**
 * A role granted to one user (of `users`, or an OpenID Connect subject's preferred username) or to
 * everyone in one OpenID Connect group, on some clusters (ids or patterns, default all), and
 * optionally only on the topics and groups whose names match a pattern, as AKHQ scopes them.
 */
export const grantSchema = z
  .object({
    user: z.string().min(1).max(100).optional(),
    group: z.string().min(1).max(200).optional(),
    role: z.enum(ROLES, { error: `role is one of ${ROLES.join(", ")}` }),
    clusters: z.array(pattern).min(1).max(100).default(["*"]),
    topics: pattern.optional(),
    groups: pattern.optional(),
  })
  .strict()
  .refine((g) => (g.user === undefined) !== (g.group === undefined), {
    error: "a grant names either one user or one group",
  });
export type Grant = z.infer<typeof grantSchema>;

/** An Argon2id hash in its PHC string form (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), as `npm run hash-password` prints one. */
export const PASSWORD_HASH = /^\$argon2id\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

export const localUserSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._@-]{1,100}$/, "1–100 letters, digits, '.', '_', '@' or '-'"),
    passwordHash: z
      .string()
      .regex(PASSWORD_HASH, "an Argon2id hash (npm run hash-password prints one), never the password"),
  })
  .strict();

/**
 * Sign-in through an OpenID Connect provider (Keycloak, Entra ID, Okta, Google…): the
 * authorization code flow with PKCE. The client secret comes from the environment variable named
 * (never the file); a user's name and groups come from the ID token's claims named.
 */
export const oidcConfigSchema = z
  .object({
    issuer: z.url({ error: "issuer is the provider's URL, e.g. https://login.example.com/realms/kafka" }),
    clientId: z.string().min(1).max(200),
    clientSecretEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, "the name of an environment variable")
      .default("QUORUM_OIDC_CLIENT_SECRET"),
    /** What the sign-in button says. */
    label: z.string().min(1).max(60).default("Sign in with SSO"),
    scopes: z.string().min(1).max(500).default("openid profile email"),
    usernameClaim: z.string().min(1).max(100).default("preferred_username"),
    groupsClaim: z.string().min(1).max(100).default("groups"),
  })
  .strict();
export type OidcConfig = z.infer<typeof oidcConfigSchema>;

/** The config file's `auth` section: who may sign in, and what each may do. */
export const authConfigSchema = z
  .object({
    users: z.array(localUserSchema).max(1000).default([]),
    grants: z.array(grantSchema).max(1000).default([]),
    oidc: oidcConfigSchema.optional(),
    session: z
      .object({
        /** A session unused this long ends. */
        idleMinutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .default(30),
        /** A session ends this long after sign-in, used or not. */
        absoluteHours: z
          .number()
          .int()
          .min(1)
          .max(30 * 24)
          .default(12),
      })
      .strict()
      .default({ idleMinutes: 30, absoluteHours: 12 }),
  })
  .strict()
  .superRefine((auth, ctx) => {
    const names = new Set<string>();
    auth.users.forEach((u, i) => {
      if (names.has(u.name))
        ctx.addIssue({
          code: "custom",
          path: ["users", i, "name"],
          message: `another user is already named "${u.name}"`,
        });
      names.add(u.name);
    });
  });
export type AuthConfig = z.infer<typeof authConfigSchema>;

/** POST /api/auth/sign-in */
export const signInSchema = z
  .object({
    user: z.string().min(1, "user is required").max(100),
    password: z.string().min(1, "password is required").max(1024),
  })
  .strict();

/** GET /api/auth/session: whether sign-in is on, who is signed in, and their role on each cluster. */
export interface SessionInfo {
  enabled: boolean;
  user: { name: string; via: "password" | "oidc" | "token" } | null;
  /** Per cluster id, the highest role held there (scoped grants count); a cluster missing here: none. */
  roles: Record<string, Role>;
  /** Whether the audit trail is open to this user (admin on every cluster; anyone with sign-in off). */
  audit: boolean;
}

/** POST /api/auth/tokens: a token for scripts, carrying one grant of its own. */
export const newTokenSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "1–64 letters, digits, '.', '_' or '-'"),
    role: z.enum(ROLES, { error: `role is one of ${ROLES.join(", ")}` }),
    clusters: z.array(pattern).min(1).max(100).default(["*"]),
    topics: pattern.optional(),
    groups: pattern.optional(),
    /** Days until it stops working; without it, until revoked. */
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();
export type NewToken = z.infer<typeof newTokenSchema>;

/** A token as listed: everything but its secret, which is shown once, when made. */
export interface TokenInfo {
  id: string;
  name: string;
  grant: Grant;
  createdBy: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}
