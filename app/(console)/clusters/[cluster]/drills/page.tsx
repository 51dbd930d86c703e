import { DrillsView } from "@/components/drills-view";

export default async function DrillsPage({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <DrillsView cluster={decodeURIComponent(cluster)} />;
}
