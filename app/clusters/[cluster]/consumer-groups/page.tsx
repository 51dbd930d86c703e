import { ConsumerGroupsView } from "@/components/consumer-groups-view";

export default async function ConsumerGroupsPage({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <ConsumerGroupsView cluster={decodeURIComponent(cluster)} />;
}
