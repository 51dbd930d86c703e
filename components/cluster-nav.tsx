"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { useClusterQuery, useReadOnly } from "@/lib/hooks/api/clusters";
import { useClusterStream } from "@/lib/hooks/use-cluster-stream";
import { ReadOnlyBadge } from "./read-only-badge";

/** The sections of a cluster: `id` names the test id (nav-<id>) and the words (common.nav.<key>). */
const sections = [
  { href: "", id: "overview", key: "overview" },
  { href: "/brokers", id: "brokers", key: "brokers" },
  { href: "/topics", id: "topics", key: "topics" },
  { href: "/consumer-groups", id: "consumer-groups", key: "consumerGroups" },
  { href: "/reassign", id: "reassign", key: "reassign" },
  { href: "/drills", id: "drills", key: "drills" },
  // Guided labs stop brokers and make topics: only on a lab Quorum runs.
  { href: "/labs", id: "labs", key: "labs" },
] as const;

export function ClusterNav({ cluster }: { cluster: string }) {
  const pathname = usePathname();
  const t = useTranslations("common.nav");
  const { connected } = useClusterStream();
  const { readOnly, reason } = useReadOnly(cluster);
  const controllable = useClusterQuery(cluster).data?.controllable ?? false;
  const root = `/clusters/${encodeURIComponent(cluster)}`;
  return (
    <nav className="flex gap-1 border-b border-slate-200" aria-label={t("label")}>
      {sections
        .filter((s) => s.id !== "labs" || controllable)
        .map((s) => {
          const href = `${root}${s.href}`;
          const active = s.href === "" ? pathname === root : pathname.startsWith(href);
          return (
            <Link
              key={s.id}
              href={href}
              data-testid={`nav-${s.id}`}
              className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
                active
                  ? "border-emerald-600 text-emerald-700"
                  : "border-transparent text-slate-600 hover:text-slate-900"
              }`}
            >
              {t(s.key)}
            </Link>
          );
        })}
      {readOnly && (
        <span className="ml-auto self-center" title={reason} data-testid="cluster-read-only">
          <ReadOnlyBadge />
        </span>
      )}
      <span
        className={`${readOnly ? "ml-3" : "ml-auto"} flex items-center gap-1.5 self-center text-xs ${connected ? "text-emerald-700" : "text-amber-700"}`}
        data-testid="stream-status"
        data-connected={connected}
        title={connected ? t("liveTitle") : t("reconnectingTitle")}
      >
        <span className={`h-2 w-2 rounded-full ${connected ? "bg-emerald-500" : "animate-pulse bg-amber-500"}`} />
        {connected ? t("live") : t("reconnecting")}
      </span>
    </nav>
  );
}
