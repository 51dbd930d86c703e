import { ClusterOverview } from "@/components/cluster-overview";

export default async function ClusterPage({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <ClusterOverview cluster={decodeURIComponent(cluster)} />;
}
