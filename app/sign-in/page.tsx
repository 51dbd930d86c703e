import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SignInForm } from "@/components/sign-in-form";
import { getQuorum } from "@/server/quorum";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("common.meta");
  return { title: t("signIn") };
}
// Whether sign-in is on is the running server's config, not the build's.
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string | string[] }> }) {
  // With sign-in off there is nothing to sign in to: the console is open on this machine.
  const auth = getQuorum().auth;
  if (!auth) redirect("/");
  const { error } = await searchParams;
  return (
    <main className="grid min-h-screen place-items-center px-6">
      <div className="w-full max-w-sm space-y-6">
        <div className="flex items-center gap-2 text-lg font-semibold tracking-tight">
          <span className="grid h-8 w-8 place-items-center rounded-md bg-emerald-500 font-bold text-slate-900">
            {/* i18n-exempt: the product's initial */}Q
          </span>
          {/* i18n-exempt: the product's name */}
          Quorum
        </div>
        <SignInForm
          passwords={auth.config.users.length > 0}
          oidcLabel={auth.config.oidc?.label ?? null}
          providerError={typeof error === "string" ? error.slice(0, 300) : null}
        />
      </div>
    </main>
  );
}
