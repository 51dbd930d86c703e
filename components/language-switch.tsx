"use client";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { isLocale, LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE, LOCALE_NAMES, LOCALES } from "@/lib/i18n/locales";

/** The header's language choice: kept in a cookie (a year), so it outlasts the browser's own. */
export function LanguageSwitch() {
  const locale = useLocale();
  const router = useRouter();
  const t = useTranslations("common");
  return (
    <select
      aria-label={t("language")}
      data-testid="language-switch"
      value={locale}
      onChange={(e) => {
        const next = e.target.value;
        if (!isLocale(next)) return;
        // biome-ignore lint/suspicious/noDocumentCookie: a plain preference cookie, read by the server on the next request
        document.cookie = `${LOCALE_COOKIE}=${next}; path=/; max-age=${LOCALE_COOKIE_MAX_AGE}; samesite=lax`;
        router.refresh();
      }}
      className="rounded-md border border-slate-700 bg-slate-900 px-2 py-1 text-sm text-slate-100"
    >
      {LOCALES.map((l) => (
        <option key={l} value={l}>
          {LOCALE_NAMES[l]}
        </option>
      ))}
    </select>
  );
}
