import { AddClusterForm, ClusterList } from "@/components/add-cluster-form";

export default function NewClusterPage() {
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold tracking-tight">Clusters</h1>
      <AddClusterForm />
      <ClusterList />
    </div>
  );
}
