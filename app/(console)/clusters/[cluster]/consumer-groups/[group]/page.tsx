import { ConsumerGroupView } from "@/components/consumer-group-view";

export default async function ConsumerGroupPage({ params }: { params: Promise<{ cluster: string; group: string }> }) {
  const { cluster, group } = await params;
  return <ConsumerGroupView cluster={decodeURIComponent(cluster)} group={decodeURIComponent(group)} />;
}
