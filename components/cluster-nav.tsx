"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useReadOnly } from "@/lib/hooks/api/clusters";
import { useClusterStream } from "@/lib/hooks/use-cluster-stream";
import { ReadOnlyBadge } from "./read-only-badge";

const sections = [
  { href: "", label: "Overview" },
  { href: "/brokers", label: "Brokers" },
  { href: "/topics", label: "Topics" },
  { href: "/consumer-groups", label: "Consumer groups" },
  { href: "/reassign", label: "Reassign" },
  { href: "/drills", label: "Drills" },
];

export function ClusterNav({ cluster }: { cluster: string }) {
  const pathname = usePathname();
  const { connected } = useClusterStream();
  const { readOnly, reason } = useReadOnly(cluster);
  const root = `/clusters/${encodeURIComponent(cluster)}`;
  return (
    <nav className="flex gap-1 border-b border-slate-200" aria-label="Cluster sections">
      {sections.map((s) => {
        const href = `${root}${s.href}`;
        const active = s.href === "" ? pathname === root : pathname.startsWith(href);
        return (
          <Link
            key={s.label}
            href={href}
            data-testid={`nav-${s.label.toLowerCase().replace(" ", "-")}`}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
              active ? "border-emerald-600 text-emerald-700" : "border-transparent text-slate-600 hover:text-slate-900"
            }`}
          >
            {s.label}
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
        title={
          connected ? "Changes arrive as they happen (server-sent events)" : "Event stream disconnected: reconnecting"
        }
      >
        <span className={`h-2 w-2 rounded-full ${connected ? "bg-emerald-500" : "animate-pulse bg-amber-500"}`} />
        {connected ? "live" : "reconnecting…"}
      </span>
    </nav>
  );
}
