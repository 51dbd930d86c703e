"use client";
import { useLocale, useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { useClusterStream } from "@/lib/hooks/use-cluster-stream";
import type { ClusterEvent } from "@/lib/types";

const GROUPS = {
  brokers: [
    "broker-down",
    "broker-up",
    "controller-changed",
    "quorum-lost",
    "quorum-regained",
    "cluster-unreachable",
    "cluster-reachable",
  ],
  leadership: ["leader-changed", "partition-offline", "partition-online"],
  isr: ["isr-shrunk", "isr-expanded"],
  topics: ["topic-created", "topic-deleted", "partitions-added"],
  replicas: ["replicas-changed", "reassignment-started", "reassignment-progress", "reassignment-finished"],
} as const;
type Group = keyof typeof GROUPS;

const tone: Record<string, string> = {
  "broker-down": "bg-rose-100 text-rose-800",
  "partition-offline": "bg-rose-100 text-rose-800",
  "cluster-unreachable": "bg-rose-100 text-rose-800",
  "isr-shrunk": "bg-amber-100 text-amber-800",
  "quorum-lost": "bg-rose-100 text-rose-800",
  "leader-changed": "bg-violet-100 text-violet-800",
  "controller-changed": "bg-violet-100 text-violet-800",
};

/** A translator of the catalog's overview.timeline.events (next-intl's `t`, or `createTranslator`'s in tests). */
export type EventWords = (key: string, values?: Record<string, string | number>) => string;

/**
 * One event in words, in the language of `t` (overview.timeline.events). Ids, offsets and counts go
 * in as written (no digit grouping), as Kafka's tools print them.
 */
export function describeEvent(e: ClusterEvent, t: EventWords): string {
  const s = (v: number | string | null | undefined) => (v === null || v === undefined ? "?" : String(v));
  const tp = "topic" in e && "partition" in e ? `${e.topic}-${e.partition}` : "";
  switch (e.type) {
    case "broker-down":
      return t("brokerDown", { broker: s(e.broker) });
    case "broker-up":
      return t("brokerUp", { broker: s(e.broker) });
    case "controller-changed":
      return t("controllerChanged", { from: s(e.from), to: s(e.to) });
    case "leader-changed": {
      const epoch = e.epoch ? ` ${t("epoch", { from: s(e.epoch.from), to: s(e.epoch.to) })}` : "";
      // The same broker with a higher epoch lost leadership and won it back between two looks.
      return e.from === e.to
        ? t("leaderReelected", { tp, to: s(e.to), epoch })
        : t("leaderMoved", { tp, from: s(e.from), to: s(e.to), epoch });
    }
    case "isr-shrunk":
    case "isr-expanded":
      return t("isrChanged", { tp, from: e.from.join(","), to: e.to.join(",") });
    case "partition-offline":
      return t("partitionOffline", { tp, leader: s(e.leader) });
    case "partition-online":
      return t("partitionOnline", { tp, leader: s(e.leader) });
    case "topic-created":
      return t("topicCreated", { topic: e.topic, partitions: s(e.partitions) });
    case "topic-deleted":
      return t("topicDeleted", { topic: e.topic, partitions: s(e.partitions) });
    case "partitions-added":
      return t("partitionsAdded", { topic: e.topic, from: s(e.from), to: s(e.to) });
    case "cluster-unreachable":
      return t("clusterUnreachable");
    case "cluster-reachable":
      return t("clusterReachable");
    case "quorum-lost":
      return t("quorumLost", { up: s(e.up), needed: s(e.needed) });
    case "quorum-regained":
      return t("quorumRegained", { up: s(e.up), needed: s(e.needed) });
    case "replicas-changed":
      return t("replicasChanged", { tp, from: e.from.join(","), to: e.to.join(",") });
    case "reassignment-started":
      return t("reassignmentStarted", { run: e.run, total: e.total, count: s(e.total) });
    case "reassignment-progress":
      return t("reassignmentProgress", { run: e.run, settled: s(e.settled), total: s(e.total) });
    case "reassignment-finished":
      return t("reassignmentFinished", { run: e.run, status: e.status, settled: s(e.settled), total: s(e.total) });
  }
}

/** A clock time with milliseconds, 00–23 h ("14:03:05.120"), written as `locale` writes times. */
export function formatTime(ts: number, locale = "en-GB"): string {
  const d = new Date(ts);
  const clock = d.toLocaleTimeString(locale, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  });
  return `${clock}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}

/** The cluster's events, newest first, filtered by kind (and to one topic when given). */
export function EventTimeline({ topic, limit = 200 }: { topic?: string; limit?: number }) {
  const { events, connected } = useClusterStream();
  const t = useTranslations("overview.timeline");
  const words = useTranslations("overview.timeline.events");
  const locale = useLocale();
  const [groups, setGroups] = useState<Record<Group, boolean>>({
    brokers: true,
    leadership: true,
    isr: true,
    replicas: true,
    topics: true,
  });
  const [showInternal, setShowInternal] = useState(false);
  const shown = useMemo(() => {
    const types = new Set<string>(
      (Object.keys(GROUPS) as Group[]).filter((g) => groups[g]).flatMap((g) => [...GROUPS[g]]),
    );
    return events
      .filter((e) => types.has(e.type))
      .filter((e) => {
        const t = "topic" in e ? e.topic : null;
        if (topic) return t === null ? e.type.startsWith("broker") || e.type.startsWith("cluster") : t === topic;
        return showInternal || t === null || !t.startsWith("__");
      })
      .slice(-limit)
      .reverse();
  }, [events, groups, topic, limit, showInternal]);

  return (
    <section className="rounded-lg border border-slate-200 bg-white" data-testid="timeline">
      <header className="flex flex-wrap items-center gap-3 border-b border-slate-100 px-4 py-2">
        <h2 className="font-semibold">{t("title")}</h2>
        {(Object.keys(GROUPS) as Group[]).map((g) => (
          <label key={g} className="flex items-center gap-1 text-xs text-slate-600">
            <input
              type="checkbox"
              checked={groups[g]}
              onChange={(e) => setGroups({ ...groups, [g]: e.target.checked })}
              data-testid={`timeline-filter-${g}`}
            />
            {t(`groups.${g}`)}
          </label>
        ))}
        {!topic && (
          <label className="flex items-center gap-1 text-xs text-slate-600">
            <input type="checkbox" checked={showInternal} onChange={(e) => setShowInternal(e.target.checked)} />
            {t("internalTopics")}
          </label>
        )}
      </header>
      {shown.length === 0 ? (
        <p className="px-4 py-6 text-center text-sm text-slate-500">{connected ? t("empty") : t("connecting")}</p>
      ) : (
        <ol className="max-h-96 divide-y divide-slate-50 overflow-auto text-sm">
          {shown.map((e) => (
            <li
              key={e.id}
              className="flex items-center gap-3 px-4 py-1.5"
              data-testid="timeline-item"
              data-type={e.type}
            >
              <time className="w-28 shrink-0 font-mono text-xs text-slate-500">{formatTime(e.ts, locale)}</time>
              <span
                translate="no"
                className={`w-36 shrink-0 rounded px-1.5 text-center text-xs ${tone[e.type] ?? "bg-emerald-100 text-emerald-800"}`}
              >
                {e.type}
              </span>
              <span className="font-mono text-xs">{describeEvent(e, words)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
