"use client";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { LATEST_MINUTES, metricsRefetchMs } from "@/lib/metric-series";
import type { BrokerMetricsHistory, ClusterHistory, GroupHistory, TopicHistory } from "@/lib/types";

/** History grows with time, not with events: it is polled at the sampling pace. */
const HISTORY_REFETCH_MS = 2000;
const c = (cluster: string) => `/api/clusters/${encodeURIComponent(cluster)}`;

export const historyKeys = {
  cluster: (cluster: string, minutes: number) => ["clusters", cluster, "history", minutes] as const,
  topic: (cluster: string, topic: string, minutes: number) =>
    ["clusters", cluster, "topics", "history", topic, minutes] as const,
  group: (cluster: string, group: string, minutes: number) =>
    ["clusters", cluster, "consumer-groups", "history", group, minutes] as const,
};

export function useClusterHistoryQuery(cluster: string, minutes = 15) {
  return useQuery({
    queryKey: historyKeys.cluster(cluster, minutes),
    queryFn: () => apiFetch<ClusterHistory>(`${c(cluster)}/history?minutes=${minutes}`),
    refetchInterval: HISTORY_REFETCH_MS,
  });
}

export function useTopicHistoryQuery(cluster: string, topic: string, minutes = 15) {
  return useQuery({
    queryKey: historyKeys.topic(cluster, topic, minutes),
    queryFn: () =>
      apiFetch<TopicHistory>(`${c(cluster)}/topics/${encodeURIComponent(topic)}/history?minutes=${minutes}`),
    refetchInterval: HISTORY_REFETCH_MS,
  });
}

export function useGroupHistoryQuery(cluster: string, group: string, minutes = 15) {
  return useQuery({
    queryKey: historyKeys.group(cluster, group, minutes),
    queryFn: () =>
      apiFetch<GroupHistory>(`${c(cluster)}/consumer-groups/${encodeURIComponent(group)}/history?minutes=${minutes}`),
    refetchInterval: HISTORY_REFETCH_MS,
  });
}

/**
 * Broker metrics are scraped every 5 s (QUORUM_METRICS_SAMPLE_MS): a range is polled at that pace
 * while each of its points is one sample, and once per point beyond (see metricsRefetchMs).
 */
export function useBrokerMetricsQuery(cluster: string, minutes = LATEST_MINUTES) {
  return useQuery({
    queryKey: ["clusters", cluster, "broker-metrics", minutes] as const,
    queryFn: () => apiFetch<BrokerMetricsHistory>(`${c(cluster)}/broker-metrics?minutes=${minutes}`),
    refetchInterval: (query) => metricsRefetchMs(minutes, query.state.data),
  });
}
