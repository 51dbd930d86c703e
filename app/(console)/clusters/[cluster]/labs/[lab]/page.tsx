import { notFound } from "next/navigation";
import { LabView } from "@/components/lab-view";
import { labById } from "@/lib/labs/labs";

export default async function LabPage({ params }: { params: Promise<{ cluster: string; lab: string }> }) {
  const { cluster, lab } = await params;
  const definition = labById(decodeURIComponent(lab));
  if (!definition) notFound();
  return <LabView cluster={decodeURIComponent(cluster)} labId={definition.id} />;
}
