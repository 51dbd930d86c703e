import { redirect } from "next/navigation";
import { NoClusters } from "@/components/no-clusters";
import { getQuorum } from "@/server/quorum";

export const dynamic = "force-dynamic";

export default function Home() {
  const first = getQuorum().clusters.keys().next();
  if (!first.done) redirect(`/clusters/${encodeURIComponent(first.value)}`);
  return <NoClusters />;
}
