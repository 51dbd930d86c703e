"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useClustersQuery } from "@/lib/hooks/api/clusters";
import { useSessionQuery, useSignOut } from "@/lib/hooks/api/session";
import { LanguageSwitch } from "./language-switch";
import { ReadOnlyBadge } from "./read-only-badge";
import { StatusBadge } from "./status-badge";

/** The audit trail and the API tokens, for whoever may read them (the trail: everyone with sign-in off). */
function AuditLink() {
  const session = useSessionQuery();
  const t = useTranslations("common.header");
  if (!session.data?.audit) return null;
  return (
    <>
      {session.data.enabled && (
        <Link
          href="/tokens"
          data-testid="tokens-link"
          className="rounded-md border border-slate-700 px-2 py-1 text-sm hover:bg-slate-800"
        >
          {t("tokens")}
        </Link>
      )}
      <Link
        href="/audit"
        data-testid="audit-link"
        className="rounded-md border border-slate-700 px-2 py-1 text-sm hover:bg-slate-800"
      >
        {t("audit")}
      </Link>
    </>
  );
}

/** Who is signed in, and the way out; nothing while sign-in is off. */
function SessionMenu() {
  const session = useSessionQuery();
  const signOut = useSignOut();
  const router = useRouter();
  const t = useTranslations("common.header");
  const user = session.data?.user;
  if (!user) return null;
  return (
    <div className="flex items-center gap-2 text-sm">
      <span className="text-slate-300" data-testid="session-user">
        {user.name}
      </span>
      <button
        type="button"
        onClick={() => signOut.mutate(undefined, { onSuccess: () => router.replace("/sign-in") })}
        data-testid="sign-out"
        className="rounded-md border border-slate-700 px-2 py-1 hover:bg-slate-800"
      >
        {t("signOut")}
      </button>
    </div>
  );
}

export function AppHeader() {
  const clusters = useClustersQuery();
  const t = useTranslations("common.header");
  return (
    <header className="border-b border-slate-800 bg-slate-900 text-slate-100">
      <div className="mx-auto flex max-w-7xl items-center gap-6 px-6 py-3">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <span className="grid h-7 w-7 place-items-center rounded-md bg-emerald-500 font-bold text-slate-900">
            {/* i18n-exempt: the product's initial */}Q
          </span>
          {/* i18n-exempt: the product's name */}
          Quorum
        </Link>
        <nav className="flex items-center gap-3 text-sm" aria-label={t("clusters")}>
          {clusters.data?.map((c) => (
            <Link
              key={c.id}
              href={`/clusters/${c.id}`}
              className="flex items-center gap-2 rounded-md px-2 py-1 hover:bg-slate-800"
            >
              {c.name}
              <StatusBadge status={c.status} />
              {c.readOnly && <ReadOnlyBadge />}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-3">
          <AuditLink />
          <Link
            href="/clusters/new"
            data-testid="add-cluster-link"
            className="rounded-md border border-slate-700 px-2 py-1 text-sm hover:bg-slate-800"
          >
            {t("manageClusters")}
          </Link>
          <SessionMenu />
          <LanguageSwitch />
        </div>
      </div>
    </header>
  );
}
