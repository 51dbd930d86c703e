import { ReassignView } from "@/components/reassign-view";

export default async function ReassignPage({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <ReassignView cluster={decodeURIComponent(cluster)} />;
}
