"use client";
import { useTranslations } from "next-intl";
import { type ReactNode, useEffect } from "react";

/** A dialog over the page; Escape or the backdrop closes it. */
export function Modal({
  title,
  onClose,
  children,
  testId,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}) {
  const t = useTranslations("common");
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center p-4">
      <button type="button" aria-label={t("close")} className="absolute inset-0 bg-slate-900/40" onClick={onClose} />
      <div
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid={testId}
        className="relative w-full max-w-lg rounded-lg bg-white p-5 shadow-xl"
      >
        <h2 className="text-lg font-semibold">{title}</h2>
        <div className="mt-3 space-y-3 text-sm">{children}</div>
      </div>
    </div>
  );
}
