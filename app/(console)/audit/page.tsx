import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AuditView } from "@/components/audit-view";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("admin.audit");
  return { title: t("metaTitle") };
}

export default function AuditPage() {
  return <AuditView />;
}
