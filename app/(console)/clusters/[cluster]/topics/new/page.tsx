import { CreateTopicForm } from "@/components/create-topic-form";

export default async function NewTopicPage({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <CreateTopicForm cluster={decodeURIComponent(cluster)} />;
}
