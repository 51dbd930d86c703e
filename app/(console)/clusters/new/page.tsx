import { AddClusterForm } from "@/components/add-cluster-form";
import { ClusterList } from "@/components/cluster-list";

export default function NewClusterPage() {
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold tracking-tight">Clusters</h1>
      <AddClusterForm />
      <ClusterList />
    </div>
  );
}
