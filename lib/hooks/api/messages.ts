"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, apiFetch } from "@/lib/api-client";
import { readEventStream } from "@/lib/event-stream-client";
import type { ProduceInput } from "@/lib/schemas/messages";
import type {
  KafkaMessage,
  MessagePage,
  PartitionChoice,
  ProducedMessage,
  SearchEnd,
  SearchProgress,
  TailStats,
} from "@/lib/types";

const base = (cluster: string, topic: string) =>
  `/api/clusters/${encodeURIComponent(cluster)}/topics/${encodeURIComponent(topic)}/messages`;

export const messageKeys = {
  all: (cluster: string, topic: string) => ["clusters", cluster, "topics", "messages", topic] as const,
  page: (cluster: string, topic: string, params: Record<string, string>) =>
    [...messageKeys.all(cluster, topic), "page", params] as const,
  partitionForKey: (cluster: string, topic: string, key: string | null) =>
    [...messageKeys.all(cluster, topic), "partition", key] as const,
};

const query = (params: Record<string, string | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") s.set(k, v);
  return s.toString();
};

/** One page of messages (GET …/messages); the previous page stays on screen while the next loads. */
export function useMessagesQuery(cluster: string, topic: string, params: Record<string, string>) {
  return useQuery({
    queryKey: messageKeys.page(cluster, topic, params),
    queryFn: () => apiFetch<MessagePage>(`${base(cluster, topic)}?${query(params)}`),
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}

/** One record read again whole (up to 1 MiB per key, value and header), for "show all". */
export function fetchWholeMessage(
  cluster: string,
  topic: string,
  m: { partition: number; offset: number },
  params: { valueFormat: string; isolation: string },
): Promise<KafkaMessage | null> {
  return apiFetch<MessagePage>(
    `${base(cluster, topic)}?${query({
      partition: String(m.partition),
      offset: String(m.offset),
      limit: "1",
      maxValueBytes: "1048576",
      ...params,
    })}`,
  ).then((p) => p.messages.find((x) => x.offset === m.offset) ?? null);
}

/** The partition Kafka's default partitioner gives `key` (null: no key). */
export function usePartitionForKeyQuery(cluster: string, topic: string, key: string | null, enabled: boolean) {
  return useQuery({
    queryKey: messageKeys.partitionForKey(cluster, topic, key),
    queryFn: () =>
      apiFetch<PartitionChoice>(`${base(cluster, topic)}/partition${key === null ? "" : `?${query({ key })}`}`),
    enabled,
    staleTime: 10_000,
  });
}

export function useProduceMutation(cluster: string, topic: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ProduceInput) =>
      apiFetch<ProducedMessage>(base(cluster, topic), { method: "POST", body: input }),
    onSettled: () => qc.invalidateQueries({ queryKey: messageKeys.all(cluster, topic) }),
  });
}

export type { SearchEnd, SearchProgress } from "@/lib/types";

export interface SearchState {
  running: boolean;
  matches: KafkaMessage[];
  progress: SearchProgress | null;
  done: (SearchProgress & { reason: SearchEnd }) | null;
  cancelled: boolean;
  notices: string[];
  error: ApiError | null;
}

const idle: SearchState = {
  running: false,
  matches: [],
  progress: null,
  done: null,
  cancelled: false,
  notices: [],
  error: null,
};

/** A server-side search as it streams: matches as they come, progress, why it ended; cancel closes the request. */
export function useMessageSearch(cluster: string, topic: string) {
  const [state, setState] = useState<SearchState>(idle);
  const abort = useRef<AbortController | null>(null);
  const cancel = useCallback(() => {
    if (!abort.current) return;
    abort.current.abort();
    abort.current = null;
    setState((s) => (s.running ? { ...s, running: false, cancelled: true } : s));
  }, []);
  const start = useCallback(
    (params: Record<string, string | undefined>) => {
      abort.current?.abort();
      const ctl = new AbortController();
      abort.current = ctl;
      setState({ ...idle, running: true });
      // Matches are batched into a render every 100 ms: a fast scan sends hundreds a second.
      let pending: KafkaMessage[] = [];
      let scheduled = false;
      const flush = () => {
        scheduled = false;
        const add = pending;
        pending = [];
        if (add.length > 0) setState((s) => ({ ...s, matches: [...s.matches, ...add] }));
      };
      readEventStream(`${base(cluster, topic)}/search?${query(params)}`, ctl.signal, (event, data) => {
        if (ctl.signal.aborted) return;
        if (event === "match") {
          pending.push(data as KafkaMessage);
          if (!scheduled) {
            scheduled = true;
            setTimeout(flush, 100);
          }
        } else if (event === "start") setState((s) => ({ ...s, notices: (data as { notices: string[] }).notices }));
        else if (event === "progress") setState((s) => ({ ...s, progress: data as SearchProgress }));
        else if (event === "done") {
          flush();
          const d = data as SearchProgress & { reason: SearchEnd };
          setState((s) => ({ ...s, running: false, progress: d, done: d }));
        } else if (event === "error") {
          const e = data as { code: string; message: string };
          setState((s) => ({ ...s, running: false, error: new ApiError(0, e.code, e.message) }));
        }
      })
        .then(() => {
          flush();
          setState((s) => (s.running ? { ...s, running: false } : s));
        })
        .catch((err: ApiError) => setState((s) => ({ ...s, running: false, error: err })));
    },
    [cluster, topic],
  );
  useEffect(() => () => abort.current?.abort(), []);
  return { ...state, start, cancel };
}

export type { TailStats } from "@/lib/types";

/** Messages kept on screen by a live tail, newest first. */
export const TAIL_KEEP = 500;

/** A live tail while `running`: newest first, the last 500; pausing closes the stream (the server stops reading). */
export function useMessageTail(
  cluster: string,
  topic: string,
  params: Record<string, string | undefined>,
  running: boolean,
) {
  const [messages, setMessages] = useState<KafkaMessage[]>([]);
  const [stats, setStats] = useState<TailStats | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [connected, setConnected] = useState(false);
  const key = query(params);
  useEffect(() => {
    if (!running) return;
    const ctl = new AbortController();
    setError(null);
    readEventStream(`${base(cluster, topic)}/tail?${key}`, ctl.signal, (event, data) => {
      if (event === "start") setConnected(true);
      else if (event === "message") setMessages((ms) => [data as KafkaMessage, ...ms].slice(0, TAIL_KEEP));
      else if (event === "stats") setStats(data as TailStats);
      else if (event === "error") {
        const e = data as { code: string; message: string };
        setError(new ApiError(0, e.code, e.message));
      }
    })
      .catch((err: ApiError) => setError(err))
      .finally(() => setConnected(false));
    return () => ctl.abort();
  }, [cluster, topic, key, running]);
  const clear = useCallback(() => {
    setMessages([]);
    setStats(null);
  }, []);
  return { messages, stats, error, connected, clear };
}
