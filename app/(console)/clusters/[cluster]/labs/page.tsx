import { LabsView } from "@/components/labs-view";

export default async function LabsPage({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <LabsView cluster={decodeURIComponent(cluster)} />;
}
