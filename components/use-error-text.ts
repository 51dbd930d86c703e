"use client";
import { useLocale, useTranslations } from "next-intl";
import { ApiError } from "@/lib/api-client";

/**
 * How an error reads in the page's language. The API's messages stay English and carry a stable
 * `code`: in English the message is shown as the server wrote it; in another language the code's
 * translation comes first, then the server's own words (they name the broker, topic or value).
 */
export function useErrorText(): (err: Error | null | undefined) => string {
  const locale = useLocale();
  const t = useTranslations("common.errors");
  return (err) => {
    if (!err) return "";
    if (locale === "en" || !(err instanceof ApiError) || !t.has(err.code)) return err.message;
    return `${t(err.code)}: ${err.message}`;
  };
}
