import Link from "next/link";
import { useTranslations } from "next-intl";

export function NoClusters() {
  const t = useTranslations("common.noClusters");
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-8 text-center">
      <h1 className="text-lg font-semibold">{t("title")}</h1>
      <p className="mt-2 text-sm text-slate-600">
        {t.rich("body", {
          code: (c) => <code>{c}</code>,
          link: (c) => (
            <Link href="/clusters/new" className="font-medium text-emerald-700 hover:underline">
              {c}
            </Link>
          ),
        })}
      </p>
    </div>
  );
}
