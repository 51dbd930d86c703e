"use client";
import { useQuery } from "@tanstack/react-query";
import { ApiError, apiFetch } from "@/lib/api-client";
import type { LabAction, LabAttempt, LabDefinition, LabMemory, LabObservation } from "@/lib/labs/labs";
import type { Broker, MessagePage, ProducedMessage, QuorumView } from "@/lib/types";

const c = (cluster: string) => `/api/clusters/${encodeURIComponent(cluster)}`;
const t = (cluster: string, topic: string) => `${c(cluster)}/topics/${encodeURIComponent(topic)}`;

export interface LabConsumer {
  group: string;
  topic: string;
  member: number;
  clientId: string;
  consumed: number;
}

export function useLabConsumersQuery(cluster: string, enabled: boolean) {
  return useQuery({
    queryKey: ["clusters", cluster, "labs", "consumers"] as const,
    queryFn: () => apiFetch<LabConsumer[]>(`${c(cluster)}/labs/consumers`),
    enabled,
    refetchInterval: 2000,
  });
}

/** Runs `n` calls at most `width` at a time; resolves with their results in order. */
async function pooled<T>(n: number, width: number, call: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await call(i);
      }
    }),
  );
  return out;
}

/** The error code of a failed call: Kafka's (upper case, e.g. NOT_ENOUGH_REPLICAS) or the API's. */
const codeOf = (err: unknown) => (err instanceof ApiError ? err.code.toUpperCase() : "NETWORK");

/**
 * Does what a lab step's button does, through Quorum's API (as a person clicking through the
 * console would). A produce or a read resolves with the attempt and the cluster's answer; the other
 * actions resolve when the API has answered (the step turns green from what the page sees after).
 */
export async function runLabAction(
  cluster: string,
  lab: LabDefinition,
  action: LabAction,
  o: LabObservation,
  memory: LabMemory,
  /** For a broker or controller stop: the node the page names on the button (the one to stop). */
  broker: number | null = null,
): Promise<LabAttempt | null> {
  const p0 = o.topic?.partitions.find((p) => p.partition === 0);
  switch (action.kind) {
    case "create-topic":
      await apiFetch(`${c(cluster)}/topics`, {
        method: "POST",
        body: {
          name: lab.topic,
          partitions: action.partitions,
          replicationFactor: action.replicationFactor,
          ...(action.configs ? { configs: action.configs } : {}),
        },
      });
      return null;
    case "stop-broker": {
      const target =
        broker ?? (action.which === "leader" ? p0?.leader : (p0?.isr.find((b) => b !== p0.leader) ?? undefined));
      if (target === undefined || target < 0)
        throw new ApiError(409, "conflict", "No broker to stop: the lab topic has no such replica now");
      await apiFetch(`${c(cluster)}/brokers/${target}/stop`, {
        method: "POST",
        body: { mode: "graceful", confirm: true },
      });
      return null;
    }
    case "start-broker": {
      const id = memory.leader;
      if (id === undefined) throw new ApiError(409, "conflict", "The lab does not know which broker it stopped");
      await apiFetch(`${c(cluster)}/brokers/${id}/start`, { method: "POST", body: {} });
      return null;
    }
    case "start-all-brokers": {
      // A broker still stopping (a controlled shutdown takes a few seconds) is started once it is down.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const brokers = await apiFetch<Broker[]>(`${c(cluster)}/brokers`);
        for (const b of brokers.filter((x) => x.status === "down"))
          await apiFetch(`${c(cluster)}/brokers/${b.id}/start`, { method: "POST", body: {} });
        if (!brokers.some((b) => b.status === "stopping") || Date.now() > deadline) return null;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    case "elect-preferred":
      await apiFetch(`${c(cluster)}/elect-leaders`, { method: "POST", body: { topic: lab.topic } });
      return null;
    case "produce": {
      const at = Date.now();
      const results = await pooled(action.count, 10, async (i) => {
        const key = action.keys ? (action.keys[i % action.keys.length] ?? null) : `k-${i}`;
        try {
          const m = await apiFetch<ProducedMessage>(`${t(cluster, lab.topic)}/messages`, {
            method: "POST",
            body: { key, value: `lab message ${i + 1}`, acks: -1 },
          });
          return { ok: true as const, key, partition: m.partition };
        } catch (err) {
          return { ok: false as const, code: codeOf(err), message: err instanceof Error ? err.message : String(err) };
        }
      });
      const failed = results.find((r) => !r.ok);
      return {
        kind: "produce",
        at,
        ok: !failed,
        ...(failed && !failed.ok ? { code: failed.code, message: failed.message } : {}),
        placements: results.flatMap((r) => (r.ok ? [{ key: r.key, partition: r.partition }] : [])),
      };
    }
    case "read": {
      const at = Date.now();
      try {
        const page = await apiFetch<MessagePage>(`${t(cluster, lab.topic)}/messages?seek=oldest&limit=20`);
        return { kind: "read", at, ok: true, count: page.messages.length };
      } catch (err) {
        return {
          kind: "read",
          at,
          ok: false,
          code: codeOf(err),
          message: err instanceof Error ? err.message : String(err),
        };
      }
    }
    case "add-partitions":
      await apiFetch(`${t(cluster, lab.topic)}/partitions`, { method: "POST", body: { count: action.count } });
      return null;
    case "start-consumers":
      await apiFetch(`${c(cluster)}/labs/consumers`, {
        method: "POST",
        body: { action: "start", group: lab.group, topic: lab.topic, count: action.count },
      });
      return null;
    case "stop-consumer":
      await apiFetch(`${c(cluster)}/labs/consumers`, {
        method: "POST",
        body: { action: "stop", group: lab.group, member: action.member },
      });
      return null;
    case "recreate-lab":
      await apiFetch(`${c(cluster)}/lab`, {
        method: "POST",
        body: { brokers: Math.max(3, o.brokers?.length ?? 3), controllers: action.controllers, confirm: true },
      });
      // The lab answers once it is up again: what the page sees after this is the new lab.
      return { kind: "recreate", at: Date.now(), ok: true };
    case "stop-controller": {
      const id = broker ?? o.quorum?.leader;
      if (id === null || id === undefined) throw new ApiError(409, "conflict", "No controller leads the quorum now");
      await apiFetch(`${c(cluster)}/controllers/${id}/stop`, {
        method: "POST",
        body: { mode: "graceful", confirm: true },
      });
      return null;
    }
    case "start-controllers": {
      // A controller still stopping is started once it is down.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const q = await apiFetch<QuorumView>(`${c(cluster)}/quorum`);
        for (const v of q.voters.filter((x) => x.status === "down"))
          await apiFetch(`${c(cluster)}/controllers/${v.id}/start`, { method: "POST", body: {} });
        if (!q.voters.some((v) => v.status === "stopping") || Date.now() > deadline) return null;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    case "look":
      return null;
  }
}

/** POST /labs/reset: what the reset did, and what it could not delete (`failed`). */
export async function resetLabs(cluster: string): Promise<{ failed: { name: string; error: string }[] }> {
  return apiFetch(`${c(cluster)}/labs/reset`, { method: "POST", body: {} });
}

export type { QuorumView };
