import type { ReactNode } from "react";
import { ClusterNav } from "@/components/cluster-nav";

export default async function ClusterLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ cluster: string }>;
}) {
  const { cluster } = await params;
  return (
    <div className="space-y-6">
      <ClusterNav cluster={decodeURIComponent(cluster)} />
      {children}
    </div>
  );
}
