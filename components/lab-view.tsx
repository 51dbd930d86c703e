"use client";
import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useMemo, useState } from "react";
import { ApiError } from "@/lib/api-client";
import { useBrokersQuery, useQuorumQuery } from "@/lib/hooks/api/clusters";
import { groupKeys, useConsumerGroupQuery } from "@/lib/hooks/api/consumer-groups";
import { resetLabs, runLabAction } from "@/lib/hooks/api/labs";
import { useTopicQuery } from "@/lib/hooks/api/topics";
import {
  advance,
  cliOf,
  type LabAttempt,
  type LabDefinition,
  type LabId,
  type LabObservation,
  type LabProgress,
  type LabStep,
  labById,
  NEW_PROGRESS,
} from "@/lib/labs/labs";
import { CliCommand } from "./cli-command";
import { useErrorText } from "./use-error-text";
import { useFormat } from "./use-format";

/** A query's data, or null when the thing does not exist (404) — the lab topic before it is made. */
function present<T>(q: { data?: T; error: Error | null }): T | null {
  if (q.error instanceof ApiError && q.error.status === 404) return null;
  return q.data ?? null;
}

const storageKey = (cluster: string, lab: string) => `quorum-lab:${cluster}:${lab}`;

function loadProgress(cluster: string, lab: string): { progress: LabProgress; attempts: LabAttempt[] } {
  try {
    const raw = sessionStorage.getItem(storageKey(cluster, lab));
    if (raw) return JSON.parse(raw) as { progress: LabProgress; attempts: LabAttempt[] };
  } catch {
    // A private window or a full store: the lab starts from its first step.
  }
  return { progress: NEW_PROGRESS, attempts: [] };
}

/** What the page sees of the cluster for a lab: its topic, the brokers, its group and the controller quorum. */
function useObservation(cluster: string, lab: LabDefinition, attempts: LabAttempt[]): LabObservation {
  const brokers = useBrokersQuery(cluster);
  const topic = useTopicQuery(cluster, lab.topic);
  const group = useConsumerGroupQuery(cluster, lab.group ?? "lab-none");
  const quorum = useQuorumQuery(cluster);
  return useMemo(
    () => ({
      brokers: brokers.data ?? null,
      topic: present(topic),
      group: lab.group ? present(group) : null,
      quorum: quorum.data ?? null,
      attempts,
    }),
    [brokers.data, topic, group, quorum.data, lab.group, attempts],
  );
}

function StepCard({
  lab,
  step,
  index,
  state,
  doneAt,
  startedAt,
  busy,
  onRun,
  cli,
  target,
}: {
  lab: LabDefinition;
  step: LabStep;
  index: number;
  state: "done" | "current" | "todo";
  doneAt: number | null;
  startedAt: number | null;
  busy: boolean;
  onRun: () => void;
  cli: string | null;
  target: Record<string, string | number>;
}) {
  const t = useTranslations("labs");
  const f = useFormat();
  const tone =
    state === "done"
      ? "border-emerald-300 bg-emerald-50"
      : state === "current"
        ? "border-sky-400 bg-white shadow-sm"
        : "border-slate-200 bg-slate-50 opacity-70";
  const a = step.action;
  const button =
    a.kind === "look"
      ? null
      : t(`actions.${a.kind}`, {
          topic: lab.topic,
          group: lab.group ?? "",
          count: "count" in a ? a.count : 0,
          member: "member" in a ? a.member : 0,
          controllers: "controllers" in a ? a.controllers : 0,
          ...target,
        });
  return (
    <li className={`rounded-lg border p-4 ${tone}`} data-testid={`lab-step-${step.id}`} data-state={state}>
      <div className="flex items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="text-xs font-medium uppercase tracking-wide text-slate-500">
            {t("lab.stepLabel", { n: index + 1 })}
          </div>
          <h3 className="mt-0.5 font-semibold">{t(`${lab.id}.steps.${step.id}.title`)}</h3>
          <p className="mt-1 text-sm text-slate-700">
            <span className="font-medium">{t("lab.doThis")}</span> {t(`${lab.id}.steps.${step.id}.do`, target)}
          </p>
          <p className="mt-1 text-sm text-slate-700">
            <span className="font-medium">{t("lab.lookFor")}</span> {t(`${lab.id}.steps.${step.id}.look`, target)}
          </p>
          {cli && state !== "todo" && <CliCommand command={cli} />}
        </div>
        <div className="flex shrink-0 flex-col items-end gap-2">
          {state === "done" ? (
            <span
              className="rounded-full bg-emerald-600 px-2.5 py-1 text-xs font-semibold text-white"
              data-testid={`lab-done-${step.id}`}
            >
              ✓{" "}
              {doneAt !== null && startedAt !== null
                ? t("lab.doneAfter", { elapsed: f.age(doneAt - startedAt) })
                : t("lab.done")}
            </span>
          ) : state === "current" ? (
            button ? (
              <button
                type="button"
                onClick={onRun}
                disabled={busy}
                data-testid={`lab-action-${step.id}`}
                className="rounded-md bg-sky-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-700 disabled:opacity-50"
              >
                {busy ? t("lab.running") : button}
              </button>
            ) : (
              <span className="text-xs text-sky-700">{t("lab.waiting")}</span>
            )
          ) : null}
        </div>
      </div>
    </li>
  );
}

/** The cluster as the lab sees it now: the lab topic's partitions, the brokers, the group's offsets. */
function NowPanel({ lab, o }: { lab: LabDefinition; o: LabObservation }) {
  const t = useTranslations("labs.now");
  const tc = useTranslations("common.status");
  return (
    <aside className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm" data-testid="lab-now">
      <h2 className="font-semibold">{t("title")}</h2>
      <div className="flex flex-wrap gap-2">
        {(o.brokers ?? []).map((b) => (
          <span
            key={b.id}
            data-testid={`lab-broker-${b.id}`}
            data-status={b.status}
            className={`rounded px-2 py-0.5 text-xs ${b.status === "up" ? "bg-emerald-100 text-emerald-800" : "bg-rose-100 text-rose-800"}`}
          >
            {t("broker", { id: b.id, status: tc(b.status) })}
          </span>
        ))}
      </div>
      {o.topic ? (
        <table className="w-full text-xs">
          <thead className="text-left text-slate-500">
            <tr>
              <th className="py-1">{t("partition")}</th>
              <th>{t("leader")}</th>
              <th>{t("replicas")}</th>
              <th>{t("isr")}</th>
            </tr>
          </thead>
          <tbody className="font-mono">
            {o.topic.partitions.map((p) => (
              <tr key={p.partition} data-testid={`lab-partition-${p.partition}`}>
                <td className="py-0.5">{p.partition}</td>
                <td data-testid={`lab-leader-${p.partition}`}>{p.leader >= 0 ? p.leader : t("none")}</td>
                <td>[{p.replicas.join(",")}]</td>
                <td data-testid={`lab-isr-${p.partition}`}>[{p.isr.join(",")}]</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="text-slate-500">{t("noTopic", { topic: lab.topic })}</p>
      )}
      {lab.group && (
        <div>
          <div className="font-medium">{t("group", { group: lab.group, members: o.group?.members.length ?? 0 })}</div>
          {o.group && o.group.offsets.length > 0 && (
            <table className="mt-1 w-full text-xs" data-testid="lab-lag-table">
              <thead className="text-left text-slate-500">
                <tr>
                  <th className="py-1">{t("partition")}</th>
                  <th translate="no">LOG-END-OFFSET</th>
                  <th translate="no">CURRENT-OFFSET</th>
                  <th translate="no">LAG</th>
                </tr>
              </thead>
              <tbody className="font-mono">
                {o.group.offsets.map((x) => (
                  <tr key={`${x.topic}-${x.partition}`}>
                    <td className="py-0.5">{x.partition}</td>
                    <td>{x.logEndOffset ?? "—"}</td>
                    <td>{x.committedOffset ?? "—"}</td>
                    <td data-testid={`lab-lag-${x.partition}`}>{x.lag ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      {o.quorum && lab.id === "controller-quorum" && (
        <div data-testid="lab-quorum" data-state={o.quorum.state}>
          {t("quorum", {
            leader: o.quorum.leader ?? "—",
            up: o.quorum.up ?? "—",
            voters: o.quorum.voters.length,
            state: t(`quorumState.${o.quorum.state}`),
          })}
        </div>
      )}
      {o.attempts.slice(-3).map((a) => (
        <div
          key={a.at}
          className={`text-xs ${a.ok ? "text-emerald-700" : "text-rose-700"}`}
          data-testid="lab-attempt"
          data-ok={String(a.ok)}
          data-code={a.code ?? ""}
        >
          {a.kind === "produce"
            ? a.ok
              ? t("produced", { count: a.placements?.length ?? 0 })
              : t("refused", { code: a.code ?? "", message: a.message ?? "" })
            : a.ok
              ? t("read", { count: a.count ?? 0 })
              : t("readFailed", { code: a.code ?? "" })}
        </div>
      ))}
    </aside>
  );
}

/** One guided lab: its steps in order, each turning green when the cluster reaches its state. */
export function LabView({ cluster, labId }: { cluster: string; labId: LabId }) {
  const lab = labById(labId) as LabDefinition;
  const t = useTranslations("labs");
  const f = useFormat();
  const errorText = useErrorText();
  const [{ progress, attempts }, setState] = useState(() =>
    typeof window === "undefined"
      ? { progress: NEW_PROGRESS, attempts: [] as LabAttempt[] }
      : loadProgress(cluster, lab.id),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const o = useObservation(cluster, lab, attempts);
  const finishedNow = progress.done.length >= lab.steps.length;
  const qc = useQueryClient();
  // A group's members and offsets change without a cluster event: while a lab with a group runs,
  // the page looks at it every second rather than at the list pages' slower pace.
  useEffect(() => {
    if (!lab.group || progress.startedAt === null || finishedNow) return;
    const timer = setInterval(
      () => void qc.invalidateQueries({ queryKey: groupKeys.detail(cluster, lab.group ?? "") }),
      1000,
    );
    return () => clearInterval(timer);
  }, [qc, cluster, lab.group, progress.startedAt, finishedNow]);

  useEffect(() => {
    try {
      sessionStorage.setItem(storageKey(cluster, lab.id), JSON.stringify({ progress, attempts }));
    } catch {
      // Not kept across a reload: the lab still runs.
    }
  }, [cluster, lab.id, progress, attempts]);

  // Each new look at the cluster: the current step is checked (and the next, on the same look,
  // while steps keep turning green).
  useEffect(() => {
    setState((s) => {
      // Nothing is checked before the lab's first step is taken: a topic left from before (or a
      // look from before a reset) does not count.
      if (s.progress.startedAt === null) return s;
      let p = s.progress;
      for (let i = 0; i < lab.steps.length; i++) {
        const next = advance(lab, p, o, Date.now());
        if (next === p) break;
        p = next;
      }
      return p === s.progress ? s : { ...s, progress: p };
    });
  }, [lab, o]);

  const current = progress.done.length;
  const finished = current >= lab.steps.length;
  const last = progress.done[progress.done.length - 1];
  const p0 = o.topic?.partitions.find((p) => p.partition === 0);
  /** The broker a step is about: the one its stop hit (remembered), else the one it would stop or start now. */
  const brokerOf = (step: LabStep): number | null => {
    const kept = progress.memory[`broker:${step.id}`] ?? progress.memory[`controller:${step.id}`];
    if (kept !== undefined) return kept;
    if (step.action.kind === "stop-broker") {
      const id = step.action.which === "leader" ? p0?.leader : p0?.isr.find((b) => b !== p0.leader);
      return id !== undefined && id >= 0 ? id : null;
    }
    if (step.action.kind === "stop-controller") return o.quorum?.leader ?? null;
    return progress.memory.leader ?? null;
  };
  const targetOf = (step: LabStep): Record<string, string | number> => ({
    topic: lab.topic,
    group: lab.group ?? "",
    broker: brokerOf(step) ?? "N",
    leader: progress.memory.leader ?? "N",
    controller: step.action.kind === "stop-controller" ? (brokerOf(step) ?? "N") : (o.quorum?.leader ?? "N"),
    moved: progress.memory.moved ?? 0,
    lag: progress.memory.lag ?? 0,
  });
  const bootstrap = o.brokers?.map((b) => `${b.host}:${b.port}`).join(",") ?? "<bootstrap>";

  const run = async (step: LabStep) => {
    // Starting the lab over deletes every topic and message of the cluster: asked first.
    if (step.action.kind === "recreate-lab" && !window.confirm(t("lab.confirmRecreate"))) return;
    setBusy(true);
    setError(null);
    const startedAt = progress.startedAt ?? Date.now();
    setState((s) => (s.progress.startedAt === null ? { ...s, progress: { ...s.progress, startedAt } } : s));
    try {
      const broker = brokerOf(step);
      const kind =
        step.action.kind === "stop-broker" ? "broker" : step.action.kind === "stop-controller" ? "controller" : null;
      if (kind && broker !== null)
        setState((s) => ({
          ...s,
          progress: { ...s.progress, memory: { ...s.progress.memory, [`${kind}:${step.id}`]: broker } },
        }));
      const attempt = await runLabAction(cluster, lab, step.action, o, progress.memory, broker);
      if (attempt) setState((s) => ({ ...s, attempts: [...s.attempts, attempt].slice(-50) }));
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  const reset = async () => {
    setBusy(true);
    setError(null);
    try {
      const done = await resetLabs(cluster);
      setState({ progress: NEW_PROGRESS, attempts: [] });
      if (done.failed.length > 0) setError(new Error(done.failed.map((f) => `${f.name}: ${f.error}`).join("; ")));
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <Link href={`/clusters/${encodeURIComponent(cluster)}/labs`} className="text-sm text-emerald-700 underline">
            {t("lab.back")}
          </Link>
          <h1 className="mt-1 text-2xl font-semibold tracking-tight">{t(`${lab.id}.title`)}</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">{t(`${lab.id}.summary`)}</p>
        </div>
        <div className="flex flex-col items-end gap-1">
          <button
            type="button"
            onClick={() => void reset()}
            disabled={busy}
            data-testid="lab-reset"
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-50"
          >
            {t("lab.reset")}
          </button>
          <span className="max-w-xs text-right text-xs text-slate-500">{t("lab.resetHelp")}</span>
        </div>
      </div>
      {finished && last && progress.startedAt !== null && (
        <p
          className="rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-900"
          data-testid="lab-finished"
          data-ms={last.at - progress.startedAt}
        >
          {t("lab.finished", { elapsed: f.age(last.at - progress.startedAt) })}
        </p>
      )}
      {error && (
        <p
          className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800"
          data-testid="lab-error"
        >
          {errorText(error)}
        </p>
      )}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_24rem]">
        <ol className="space-y-3">
          {lab.steps.map((step, i) => (
            <StepCard
              key={step.id}
              lab={lab}
              step={step}
              index={i}
              state={i < current ? "done" : i === current ? "current" : "todo"}
              doneAt={progress.done[i]?.at ?? null}
              startedAt={progress.startedAt}
              busy={busy}
              onRun={() => void run(step)}
              cli={cliOf(step, {
                bootstrap,
                topic: lab.topic,
                group: lab.group,
                broker: brokerOf(step) ?? undefined,
              })}
              target={targetOf(step)}
            />
          ))}
        </ol>
        <NowPanel lab={lab} o={o} />
      </div>
    </div>
  );
}
