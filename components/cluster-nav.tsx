"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const sections = [
  { href: "", label: "Overview" },
  { href: "/brokers", label: "Brokers" },
  { href: "/topics", label: "Topics" },
  { href: "/consumer-groups", label: "Consumer groups" },
];

export function ClusterNav({ cluster }: { cluster: string }) {
  const pathname = usePathname();
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
    </nav>
  );
}
