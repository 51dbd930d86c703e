"use client";
import { useTranslations } from "next-intl";
import { ApiError } from "@/lib/api-client";
import { useErrorText } from "./use-error-text";

/** An error said plainly, with what to do next: never shown as an empty list. */
export function ErrorPanel({ error }: { error: Error }) {
  const t = useTranslations("common.errorPanel");
  const errorText = useErrorText();
  const hint =
    error instanceof ApiError && error.status === 401
      ? t("sessionEnded")
      : error instanceof ApiError && error.code === "forbidden"
        ? t("forbidden")
        : error instanceof ApiError && error.status === 404
          ? t("notFound")
          : error instanceof ApiError && error.status === 503
            ? t("unavailable")
            : t("retrying");
  return (
    <div
      role="alert"
      data-testid="error-panel"
      className="rounded-lg border border-rose-200 bg-rose-50 p-4 text-sm text-rose-900"
    >
      <p className="font-medium">{errorText(error)}</p>
      <p className="mt-1 text-rose-800">{hint}</p>
    </div>
  );
}
