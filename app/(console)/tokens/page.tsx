import type { Metadata } from "next";
import { TokensView } from "@/components/tokens-view";

export const metadata: Metadata = { title: "API tokens — Quorum" };

export default function TokensPage() {
  return <TokensView />;
}
