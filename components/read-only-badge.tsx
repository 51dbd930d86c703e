import { useTranslations } from "next-intl";

/** Marks a cluster that refuses every change (`readOnly` in its definition). */
export function ReadOnlyBadge() {
  const t = useTranslations("common.readOnly");
  return (
    <span
      className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800"
      data-testid="read-only-badge"
      title={t("title")}
    >
      {t("badge")}
    </span>
  );
}
