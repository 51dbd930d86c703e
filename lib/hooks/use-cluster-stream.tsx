"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from "react";
import { apiFetch } from "@/lib/api-client";
import type { ClusterEvent, ClusterEventType } from "@/lib/types";

/** Polling pace of live queries: a safety net while the stream feeds them, the feed itself while it is down. */
export const STREAM_UP_REFETCH_MS = 10_000;
export const STREAM_DOWN_REFETCH_MS = 2000;
const MAX_EVENTS = 2000;
/** No message (event or heartbeat) for this long means the stream is stuck: reconnect. */
const SILENCE_MS = 45_000;

const EVENT_TYPES: ClusterEventType[] = [
  "broker-down",
  "broker-up",
  "controller-changed",
  "leader-changed",
  "isr-shrunk",
  "isr-expanded",
  "partition-offline",
  "partition-online",
  "topic-created",
  "topic-deleted",
  "partitions-added",
  "cluster-unreachable",
  "cluster-reachable",
  "replicas-changed",
  "quorum-lost",
  "quorum-regained",
  "reassignment-started",
  "reassignment-progress",
  "reassignment-finished",
];

interface StreamState {
  connected: boolean;
  events: ClusterEvent[];
}

const StreamContext = createContext<StreamState | null>(null);

/**
 * One EventSource per cluster page tree. Each event lands in the timeline and marks every query of
 * the cluster stale (coalesced, so a burst of events costs one refetch of each visible query, served
 * from the server's shared snapshot). EventSource reconnects by itself, resuming after Last-Event-ID
 * (`<epoch>-<n>`: after a server restart the id is another run's and the server replays its whole ring).
 */
export function ClusterStreamProvider({ cluster, children }: { cluster: string; children: ReactNode }) {
  const qc = useQueryClient();
  const [connected, setConnected] = useState(false);
  const [live, setLive] = useState<ClusterEvent[]>([]);
  const flush = useRef<ReturnType<typeof setTimeout> | null>(null);
  const history = useQuery({
    queryKey: ["clusters", cluster, "events", "history"],
    queryFn: () =>
      apiFetch<{ lastEventId: string; events: ClusterEvent[] }>(
        `/api/clusters/${encodeURIComponent(cluster)}/events/history?limit=${MAX_EVENTS}`,
      ),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });

  useEffect(() => {
    let source: EventSource | null = null;
    let lastMessage = Date.now();
    const refresh = () => {
      if (flush.current) return;
      flush.current = setTimeout(() => {
        flush.current = null;
        void qc.invalidateQueries({
          queryKey: ["clusters", cluster],
          predicate: (q) => q.queryKey[2] !== "events",
        });
        void qc.invalidateQueries({ queryKey: ["clusters"], exact: true });
      }, 25);
    };
    const open = () => {
      source?.close();
      source = new EventSource(`/api/clusters/${encodeURIComponent(cluster)}/events`);
      source.onopen = () => {
        setConnected(true);
        lastMessage = Date.now();
        refresh();
      };
      source.onerror = () => setConnected(false);
      source.addEventListener("heartbeat", () => {
        lastMessage = Date.now();
      });
      source.addEventListener("hello", () => {
        lastMessage = Date.now();
      });
      for (const type of EVENT_TYPES) {
        source.addEventListener(type, (msg) => {
          lastMessage = Date.now();
          const event = JSON.parse((msg as MessageEvent<string>).data) as ClusterEvent;
          setLive((prev) => (prev.some((e) => e.id === event.id) ? prev : [...prev, event].slice(-MAX_EVENTS)));
          refresh();
        });
      }
    };
    open();
    const watchdog = setInterval(() => {
      if (Date.now() - lastMessage > SILENCE_MS) {
        setConnected(false);
        open();
      }
    }, 5000);
    return () => {
      clearInterval(watchdog);
      if (flush.current) clearTimeout(flush.current);
      flush.current = null;
      source?.close();
    };
  }, [cluster, qc]);

  const events = useMemo(() => {
    // Live events the history already holds are dropped by id; ids are `<epoch>-<n>` and those of
    // a restarted server (a new epoch) follow the older run's in arrival order.
    const past = history.data?.events ?? [];
    const known = new Set(past.map((e) => e.id));
    return [...past, ...live.filter((e) => !known.has(e.id))].slice(-MAX_EVENTS);
  }, [history.data, live]);

  const value = useMemo(() => ({ connected, events }), [connected, events]);
  return <StreamContext.Provider value={value}>{children}</StreamContext.Provider>;
}

export function useClusterStream(): StreamState {
  return useContext(StreamContext) ?? { connected: false, events: [] };
}

/** How often a live query polls: rarely while the event stream feeds it, often while it is down. */
export function useLiveRefetchInterval(): number {
  const ctx = useContext(StreamContext);
  return ctx?.connected ? STREAM_UP_REFETCH_MS : STREAM_DOWN_REFETCH_MS;
}
