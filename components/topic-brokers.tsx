"use client";
import { useTranslations } from "next-intl";
import { useBrokersQuery } from "@/lib/hooks/api/clusters";
import type { TopicDetail } from "@/lib/types";
import { BrokerActions } from "./broker-actions";
import { StatusBadge } from "./status-badge";

/** The brokers holding this topic's replicas, with what each leads here, and stop/kill/start at hand. */
export function TopicBrokers({
  cluster,
  topic,
  controllable,
}: {
  cluster: string;
  topic: TopicDetail;
  controllable: boolean;
}) {
  const t = useTranslations("topics.brokers");
  const brokers = useBrokersQuery(cluster);
  const ids = new Set(topic.partitions.flatMap((p) => p.replicas));
  const list = (brokers.data ?? []).filter((b) => ids.has(b.id));
  if (list.length === 0) return null;
  return (
    <div className="flex flex-wrap gap-3" data-testid="topic-brokers">
      {list.map((b) => {
        const leads = topic.partitions.filter((p) => p.leader === b.id).length;
        return (
          <div
            key={b.id}
            data-testid={`topic-broker-${b.id}`}
            className={`flex items-center gap-3 rounded-lg border bg-white px-3 py-2 text-sm ${b.status === "down" ? "border-rose-300" : "border-slate-200"}`}
          >
            <span className="font-semibold">{t("broker", { id: b.id })}</span>
            <StatusBadge status={b.status} testId={`topic-broker-status-${b.id}`} />
            <span className="text-slate-600">{t("leads", { count: leads })}</span>
            {controllable && <BrokerActions cluster={cluster} broker={b} compact />}
          </div>
        );
      })}
    </div>
  );
}
