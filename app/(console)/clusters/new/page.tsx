import { useTranslations } from "next-intl";
import { AddClusterForm } from "@/components/add-cluster-form";
import { ClusterList } from "@/components/cluster-list";

export default function NewClusterPage() {
  const t = useTranslations("admin.clusters");
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
      <AddClusterForm />
      <ClusterList />
    </div>
  );
}
