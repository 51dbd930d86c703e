import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { TokensView } from "@/components/tokens-view";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("admin.tokens");
  return { title: t("metaTitle") };
}

export default function TokensPage() {
  return <TokensView />;
}
