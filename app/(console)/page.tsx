import { redirect } from "next/navigation";
import { NoClusters } from "@/components/no-clusters";
import { pageClusters } from "@/server/auth/pages";

export const dynamic = "force-dynamic";

export default async function Home() {
  // The first cluster the user may see (any, with sign-in off).
  const [first] = await pageClusters();
  if (first !== undefined) redirect(`/clusters/${encodeURIComponent(first)}`);
  return <NoClusters />;
}
