"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { useSignIn } from "@/lib/hooks/api/session";
import { useErrorText } from "./use-error-text";

/**
 * Sign-in with a user's password (when the config file lists users) and, when it names one,
 * through the OpenID Connect provider; `providerError` is why the provider's sign-in did not finish.
 */
export function SignInForm({
  passwords,
  oidcLabel,
  providerError,
}: {
  passwords: boolean;
  oidcLabel: string | null;
  providerError: string | null;
}) {
  const t = useTranslations("admin.signIn");
  const errorText = useErrorText();
  const router = useRouter();
  const signIn = useSignIn();
  const [user, setUser] = useState("");
  const [password, setPassword] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate({ user, password }, { onSuccess: () => router.replace("/") });
  };
  return (
    <div className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-base font-semibold">{t("title")}</h1>
      {providerError && (
        <p role="alert" className="text-sm text-red-700" data-testid="sign-in-provider-error">
          {providerError}
        </p>
      )}
      {oidcLabel && (
        <a
          href="/api/auth/oidc/start"
          data-testid="sign-in-oidc"
          className="block w-full rounded-md border border-slate-300 px-3 py-2 text-center text-sm font-medium hover:bg-slate-50"
        >
          {oidcLabel}
        </a>
      )}
      {passwords && (
        <form onSubmit={submit} className="space-y-4">
          <label className="block space-y-1 text-sm">
            <span className="text-slate-600">{t("user")}</span>
            <input
              name="user"
              autoComplete="username"
              required
              value={user}
              onChange={(e) => setUser(e.target.value)}
              data-testid="sign-in-user"
              className="w-full rounded-md border border-slate-300 px-3 py-2"
            />
          </label>
          <label className="block space-y-1 text-sm">
            <span className="text-slate-600">{t("password")}</span>
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="sign-in-password"
              className="w-full rounded-md border border-slate-300 px-3 py-2"
            />
          </label>
          {signIn.error && (
            <p role="alert" className="text-sm text-red-700" data-testid="sign-in-error">
              {errorText(signIn.error)}
            </p>
          )}
          <button
            type="submit"
            disabled={signIn.isPending}
            data-testid="sign-in-submit"
            className="w-full rounded-md bg-slate-900 px-3 py-2 text-sm font-medium text-white hover:bg-slate-800 disabled:opacity-50"
          >
            {signIn.isPending ? t("signingIn") : t("submit")}
          </button>
        </form>
      )}
    </div>
  );
}
