import { TopicsView } from "@/components/topics-view";

export default async function TopicsPage({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <TopicsView cluster={decodeURIComponent(cluster)} />;
}
