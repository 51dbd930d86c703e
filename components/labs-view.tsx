"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { LABS } from "@/lib/labs/labs";

/** The guided labs, one per experiment of the notes Quorum's users learn from. */
export function LabsView({ cluster }: { cluster: string }) {
  const t = useTranslations("labs");
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">{t("index.title")}</h1>
      <p className="max-w-3xl text-sm text-slate-600">{t("index.intro")}</p>
      <ul className="grid gap-3 md:grid-cols-2">
        {LABS.map((lab) => (
          <li
            key={lab.id}
            className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
            data-testid={`lab-card-${lab.id}`}
          >
            <h2 className="font-semibold">
              <Link href={`/clusters/${encodeURIComponent(cluster)}/labs/${lab.id}`} className="hover:underline">
                {t(`${lab.id}.title`)}
              </Link>
            </h2>
            <p className="mt-1 text-sm text-slate-600">{t(`${lab.id}.summary`)}</p>
            <p className="mt-2 text-xs text-slate-500">
              {t("index.meta", { steps: lab.steps.length, seeds: lab.seeds.join(", ") })}
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}
