import type { ReactNode } from "react";
import { ClusterNav } from "@/components/cluster-nav";
import { UnreachableBanner } from "@/components/unreachable-banner";
import { ClusterStreamProvider } from "@/lib/hooks/use-cluster-stream";

export default async function ClusterLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ cluster: string }>;
}) {
  const { cluster } = await params;
  const id = decodeURIComponent(cluster);
  return (
    <ClusterStreamProvider cluster={id}>
      <div className="space-y-6">
        <ClusterNav cluster={id} />
        <UnreachableBanner cluster={id} />
        {children}
      </div>
    </ClusterStreamProvider>
  );
}
