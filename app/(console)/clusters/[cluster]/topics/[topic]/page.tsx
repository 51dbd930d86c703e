import { TopicView } from "@/components/topic-view";

export default async function TopicPage({
  params,
  searchParams,
}: {
  params: Promise<{ cluster: string; topic: string }>;
  searchParams: Promise<{ tab?: string }>;
}) {
  const { cluster, topic } = await params;
  const { tab } = await searchParams;
  return (
    <TopicView
      cluster={decodeURIComponent(cluster)}
      topic={decodeURIComponent(topic)}
      initialTab={tab === "configs" || tab === "messages" ? tab : "partitions"}
    />
  );
}
