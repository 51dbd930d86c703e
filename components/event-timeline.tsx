"use client";
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

export function describeEvent(e: ClusterEvent): string {
  switch (e.type) {
    case "broker-down":
      return `broker ${e.broker} is down`;
    case "broker-up":
      return `broker ${e.broker} is up`;
    case "controller-changed":
      return `active controller ${e.from ?? "?"} → ${e.to ?? "?"}`;
    case "leader-changed": {
      const epoch = e.epoch ? ` (epoch ${e.epoch.from}→${e.epoch.to})` : "";
      // The same broker with a higher epoch lost leadership and won it back between two looks.
      return e.from === e.to
        ? `${e.topic}-${e.partition}: leader ${e.to} re-elected${epoch}`
        : `${e.topic}-${e.partition}: leader ${e.from} → ${e.to}${epoch}`;
    }
    case "isr-shrunk":
    case "isr-expanded":
      return `${e.topic}-${e.partition}: ISR [${e.from.join(",")}] → [${e.to.join(",")}]`;
    case "partition-offline":
      return `${e.topic}-${e.partition}: no leader (was ${e.leader})`;
    case "partition-online":
      return `${e.topic}-${e.partition}: leader ${e.leader} again`;
    case "topic-created":
      return `topic ${e.topic} created (${e.partitions} partitions)`;
    case "topic-deleted":
      return `topic ${e.topic} deleted (${e.partitions} partitions)`;
    case "partitions-added":
      return `${e.topic}: ${e.from} → ${e.to} partitions`;
    case "cluster-unreachable":
      return "no broker answers";
    case "cluster-reachable":
      return "the cluster answers again";
    case "quorum-lost":
      return `the controller quorum lost its majority (${e.up ?? "?"} of the ${e.needed} voters needed are up)`;
    case "quorum-regained":
      return `the controller quorum has its majority again (${e.up ?? "?"} up, ${e.needed} needed)`;
    case "replicas-changed":
      return `${e.topic}-${e.partition}: replicas [${e.from.join(",")}] → [${e.to.join(",")}]`;
    case "reassignment-started":
      return `reassignment ${e.run} started: ${e.total} partition${e.total === 1 ? "" : "s"}`;
    case "reassignment-progress":
      return `reassignment ${e.run}: ${e.settled} of ${e.total} partitions settled`;
    case "reassignment-finished":
      return `reassignment ${e.run} ${e.status}: ${e.settled} of ${e.total} partitions`;
  }
}

export function formatTime(ts: number): string {
  const d = new Date(ts);
  return `${d.toLocaleTimeString("en-GB", { hour12: false })}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}

/** The cluster's events, newest first, filtered by kind (and to one topic when given). */
export function EventTimeline({ topic, limit = 200 }: { topic?: string; limit?: number }) {
  const { events, connected } = useClusterStream();
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
        <h2 className="font-semibold">Timeline</h2>
        {(Object.keys(GROUPS) as Group[]).map((g) => (
          <label key={g} className="flex items-center gap-1 text-xs text-slate-600">
            <input
              type="checkbox"
              checked={groups[g]}
              onChange={(e) => setGroups({ ...groups, [g]: e.target.checked })}
              data-testid={`timeline-filter-${g}`}
            />
            {g}
          </label>
        ))}
        {!topic && (
          <label className="flex items-center gap-1 text-xs text-slate-600">
            <input type="checkbox" checked={showInternal} onChange={(e) => setShowInternal(e.target.checked)} />
            internal topics
          </label>
        )}
      </header>
      {shown.length === 0 ? (
        <p className="px-4 py-6 text-center text-sm text-slate-500">
          {connected
            ? "Nothing has happened yet. Stop a broker and watch leadership move here as it happens."
            : "Connecting to the event stream…"}
        </p>
      ) : (
        <ol className="max-h-96 divide-y divide-slate-50 overflow-auto text-sm">
          {shown.map((e) => (
            <li
              key={e.id}
              className="flex items-center gap-3 px-4 py-1.5"
              data-testid="timeline-item"
              data-type={e.type}
            >
              <time className="w-28 shrink-0 font-mono text-xs text-slate-500">{formatTime(e.ts)}</time>
              <span
                className={`w-36 shrink-0 rounded px-1.5 text-center text-xs ${tone[e.type] ?? "bg-emerald-100 text-emerald-800"}`}
              >
                {e.type}
              </span>
              <span className="font-mono text-xs">{describeEvent(e)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
