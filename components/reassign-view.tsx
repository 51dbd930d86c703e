"use client";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { useBrokersQuery, useReadOnly } from "@/lib/hooks/api/clusters";
import {
  useCancelReassignmentMutation,
  usePlanQuery,
  useReassignmentsQuery,
  useStartReassignmentMutation,
} from "@/lib/hooks/api/reassignments";
import { useMay } from "@/lib/hooks/api/session";
import { useTopicSearchQuery } from "@/lib/hooks/api/topics";
import { useDebounced } from "@/lib/hooks/use-debounced";
import type { ReassignmentGoal } from "@/lib/schemas/reassignments";
import type { ReassignmentPlanView, ReassignmentRun } from "@/lib/types";
import { ErrorPanel } from "./error-panel";
import { formatTime } from "./event-timeline";
import { formatBytes } from "./format";
import { TopicPicker } from "./topic-picker";
import { useFormat } from "./use-format";

type Kind = ReassignmentGoal["kind"];

/** The goals offered, each with its words' key (`ops.reassign.goals.<key>`). */
const GOALS: { kind: Kind; key: string }[] = [
  { kind: "topic", key: "topic" },
  { kind: "replication-factor", key: "replicationFactor" },
  { kind: "drain", key: "drain" },
  { kind: "balance", key: "balance" },
];

/** Rows of a plan shown at once; the rest are counted and in the JSON file. */
const SHOWN_MOVES = 200;

const list = (xs: number[]) => (xs.length ? xs.join(", ") : "—");

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

export function ReassignView({ cluster }: { cluster: string }) {
  const t = useTranslations("ops.reassign");
  const brokers = useBrokersQuery(cluster);
  const runs = useReassignmentsQuery(cluster);
  const { readOnly, reason } = useReadOnly(cluster);
  const may = useMay(cluster);
  const [kind, setKind] = useState<Kind>("topic");
  const [filter, setFilter] = useState("");
  const topics = useTopicSearchQuery(cluster, useDebounced(filter.trim(), 150), 50, true);
  const [topic, setTopic] = useState("");
  const [chosen, setChosen] = useState<number[]>([]);
  const [rf, setRf] = useState(3);
  const [drain, setDrain] = useState<number | null>(null);
  const [goal, setGoal] = useState<ReassignmentGoal | null>(null);
  const plan = usePlanQuery(cluster, goal);
  const up = (brokers.data ?? []).filter((b) => b.status === "up").map((b) => b.id);
  const pickedTopic = topic || topics.data?.items[0]?.name || "";
  const drainBroker = drain ?? up[0] ?? null;

  const onPlan = (e: FormEvent) => {
    e.preventDefault();
    const next: ReassignmentGoal | null =
      kind === "balance"
        ? { kind }
        : kind === "drain"
          ? drainBroker === null
            ? null
            : { kind, broker: drainBroker }
          : kind === "topic"
            ? { kind, topic: pickedTopic, brokers: [...chosen].sort((a, b) => a - b) }
            : { kind, topic: pickedTopic, replicationFactor: rf };
    setGoal(next);
    if (next && JSON.stringify(next) === JSON.stringify(goal)) void plan.refetch();
  };

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">{t("intro")}</p>
      </div>
      <form
        onSubmit={onPlan}
        className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
        data-testid="reassign-form"
      >
        <fieldset className="flex flex-wrap gap-4 text-sm">
          <legend className="sr-only">{t("goal")}</legend>
          {GOALS.map((g) => (
            <label key={g.kind} className="flex items-center gap-1.5">
              <input
                type="radio"
                name="goal"
                checked={kind === g.kind}
                onChange={() => setKind(g.kind)}
                data-testid={`reassign-goal-${g.kind}`}
              />
              {t(`goals.${g.key}`)}
            </label>
          ))}
        </fieldset>
        <div className="flex flex-wrap items-end gap-4">
          {(kind === "topic" || kind === "replication-factor") && (
            <TopicPicker
              testId="reassign-topic"
              filter={filter}
              onFilter={setFilter}
              topics={topics.data?.items ?? []}
              value={pickedTopic}
              onChange={setTopic}
              detail={(topic) =>
                t("topicDetail", { partitions: topic.partitions, replicationFactor: topic.replicationFactor })
              }
            />
          )}
          {kind === "topic" && (
            <fieldset className="text-sm">
              <legend className="font-medium">{t("brokers")}</legend>
              <div className="mt-1 flex flex-wrap gap-3">
                {up.map((id) => (
                  <label key={id} className="flex items-center gap-1">
                    <input
                      type="checkbox"
                      checked={chosen.includes(id)}
                      onChange={(e) => setChosen((c) => (e.target.checked ? [...c, id] : c.filter((x) => x !== id)))}
                      data-testid={`reassign-broker-${id}`}
                    />
                    {id}
                  </label>
                ))}
              </div>
            </fieldset>
          )}
          {kind === "replication-factor" && (
            <label className="text-sm">
              <span className="block font-medium">{t("replicationFactor")}</span>
              <input
                type="number"
                min={1}
                max={Math.max(1, up.length)}
                value={rf}
                onChange={(e) => setRf(Number(e.target.value))}
                className="mt-1 w-20 rounded-md border border-slate-300 px-2 py-1.5"
                data-testid="reassign-rf"
              />
            </label>
          )}
          {kind === "drain" && (
            <label className="text-sm">
              <span className="block font-medium">{t("drainBroker")}</span>
              <select
                value={drainBroker ?? ""}
                onChange={(e) => setDrain(Number(e.target.value))}
                className="mt-1 rounded-md border border-slate-300 px-2 py-1.5"
                data-testid="reassign-drain-broker"
              >
                {up.map((id) => (
                  <option key={id} value={id}>
                    {t("brokerOption", { id })}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button
            type="submit"
            className="rounded-md bg-slate-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700"
            data-testid="reassign-plan"
          >
            {t("plan")}
          </button>
        </div>
      </form>
      {plan.error && <ErrorPanel error={plan.error} />}
      {plan.data && goal && (
        <PlanPanel
          cluster={cluster}
          plan={plan.data}
          onStarted={() => setGoal(null)}
          mayStart={may("operator") && !readOnly}
          why={readOnly ? reason : may("operator") ? undefined : t("operatorOnly")}
        />
      )}
      <RunsPanel cluster={cluster} runs={runs.data?.runs ?? []} mayCancel={may("operator") && !readOnly} />
      {runs.error && <ErrorPanel error={runs.error} />}
      {(runs.data?.ongoing ?? []).some((o) => o.run === null) && (
        <section
          className="rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm"
          data-testid="reassign-elsewhere"
        >
          <h2 className="font-semibold">{t("elsewhere.heading")}</h2>
          <p className="text-slate-600">{t("elsewhere.text")}</p>
          <ul className="mt-2 font-mono text-xs">
            {(runs.data?.ongoing ?? [])
              .filter((o) => o.run === null)
              .map((o) => (
                <li key={`${o.topic}-${o.partition}`}>
                  {o.topic}-{o.partition}:{" "}
                  {t("elsewhere.move", {
                    replicas: o.replicas.join(","),
                    adding: o.adding.join(","),
                    removing: o.removing.join(","),
                  })}
                </li>
              ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function PlanPanel({
  cluster,
  plan,
  onStarted,
  mayStart,
  why,
}: {
  cluster: string;
  plan: ReassignmentPlanView;
  /** The run started: the plan it came from is done with (the run below follows it). */
  onStarted: () => void;
  mayStart: boolean;
  why: string | undefined;
}) {
  const t = useTranslations("ops.plan");
  const { number: formatNumber } = useFormat();
  const start = useStartReassignmentMutation(cluster);
  const [throttle, setThrottle] = useState("");
  const mib = throttle.trim() === "" ? null : Number(throttle);
  const badThrottle = mib !== null && !(Number.isFinite(mib) && mib > 0);
  const bytesPerSec = mib !== null && !badThrottle ? Math.max(1024, Math.round(mib * 1024 * 1024)) : null;
  const onStart = () =>
    start.mutate(
      {
        partitions: plan.moves.map((m) => ({ topic: m.topic, partition: m.partition, replicas: m.after })),
        ...(bytesPerSec !== null ? { throttleBytesPerSec: bytesPerSec } : {}),
      },
      { onSuccess: onStarted },
    );
  return (
    <section className="space-y-4 rounded-lg border border-slate-200 bg-white p-4" data-testid="reassign-plan-panel">
      <div className="flex flex-wrap items-baseline gap-x-6 gap-y-1">
        <h2 className="text-lg font-semibold">{t("heading")}</h2>
        <p className="text-sm text-slate-700" data-testid="reassign-plan-summary">
          {plan.moves.length === 0
            ? t("nothing")
            : t("summary", {
                count: plan.moves.length,
                copying: formatNumber(plan.copying),
                size: plan.bytes === null ? t("sizeUnknown") : formatBytes(plan.bytes),
              })}
        </p>
        {plan.sizesMissing.length > 0 && (
          <p className="text-sm text-amber-700">{t("sizesMissing", { brokers: plan.sizesMissing.join(", ") })}</p>
        )}
      </div>
      <table className="text-sm" data-testid="reassign-brokers">
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr>
            <th className="pr-6">{t("brokers.broker")}</th>
            <th className="pr-6">{t("brokers.replicas")}</th>
            <th>{t("brokers.leaders")}</th>
          </tr>
        </thead>
        <tbody>
          {plan.brokers.map((b) => (
            <tr key={b.broker} data-testid={`reassign-broker-load-${b.broker}`}>
              <td className="pr-6 font-medium">{b.broker}</td>
              <td className="pr-6 tabular-nums">
                {b.replicas.before} → {b.replicas.after}
              </td>
              <td className="tabular-nums">
                {b.leaders.before} → {b.leaders.after}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {plan.moves.length > 0 && (
        <>
          <div className="max-h-80 overflow-auto rounded border border-slate-200">
            <table className="w-full text-sm" data-testid="reassign-moves">
              <thead className="sticky top-0 bg-slate-50 text-left text-xs uppercase text-slate-500">
                <tr>
                  <th className="px-3 py-1.5">{t("moves.partition")}</th>
                  <th className="px-3 py-1.5">{t("moves.before")}</th>
                  <th className="px-3 py-1.5">{t("moves.after")}</th>
                  <th className="px-3 py-1.5">{t("moves.adding")}</th>
                  <th className="px-3 py-1.5">{t("moves.removing")}</th>
                  <th className="px-3 py-1.5 text-right">{t("moves.copies")}</th>
                </tr>
              </thead>
              <tbody>
                {plan.moves.slice(0, SHOWN_MOVES).map((m) => (
                  <tr
                    key={`${m.topic}-${m.partition}`}
                    className="border-t border-slate-100"
                    data-testid="reassign-move"
                  >
                    <td className="px-3 py-1 font-mono text-xs">
                      {m.topic}-{m.partition}
                    </td>
                    <td className="px-3 py-1 tabular-nums">{list(m.before)}</td>
                    <td className="px-3 py-1 font-medium tabular-nums">{list(m.after)}</td>
                    <td className="px-3 py-1 tabular-nums text-emerald-700">{list(m.adding)}</td>
                    <td className="px-3 py-1 tabular-nums text-rose-700">{list(m.removing)}</td>
                    <td className="px-3 py-1 text-right tabular-nums">{formatBytes(m.bytes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {plan.moves.length > SHOWN_MOVES && (
            <p className="text-xs text-slate-500">
              {t("showing", { shown: SHOWN_MOVES, total: formatNumber(plan.moves.length) })}
            </p>
          )}
          <div className="flex flex-wrap items-end gap-4">
            <label className="text-sm">
              <span className="block font-medium">{t("throttle")}</span>
              <input
                value={throttle}
                onChange={(e) => setThrottle(e.target.value)}
                inputMode="decimal"
                className="mt-1 w-28 rounded-md border border-slate-300 px-2 py-1.5"
                data-testid="reassign-throttle"
              />
            </label>
            <button
              type="button"
              onClick={onStart}
              disabled={!mayStart || badThrottle || start.isPending}
              title={why}
              className="rounded-md bg-emerald-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-500 disabled:opacity-50"
              data-testid="reassign-start"
            >
              {start.isPending ? t("starting") : t("start")}
            </button>
            <button
              type="button"
              onClick={() => download("reassignment.json", plan.tool.json)}
              className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
              data-testid="reassign-download"
            >
              {t("download")}
            </button>
            <button
              type="button"
              onClick={() => download("rollback.json", plan.tool.rollbackJson)}
              className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
            >
              {t("downloadRollback")}
            </button>
          </div>
          {badThrottle && <p className="text-sm text-rose-700">{t("badThrottle")}</p>}
          {why && <p className="text-sm text-slate-600">{why}.</p>}
          {start.error && <ErrorPanel error={start.error} />}
          <div className="space-y-1 rounded-md bg-slate-900 px-3 py-2 font-mono text-xs text-slate-100">
            <div>
              <span className="select-none text-slate-400">{t("cli")}: $ </span>
              <span data-testid="reassign-cli-execute">
                {plan.tool.execute}
                {bytesPerSec !== null && ` --throttle ${bytesPerSec}`}
              </span>
            </div>
            <div>
              <span className="select-none text-slate-400">{t("verify")}: $ </span>
              <span>{plan.tool.verify}</span>
            </div>
          </div>
        </>
      )}
    </section>
  );
}

function RunsPanel({ cluster, runs, mayCancel }: { cluster: string; runs: ReassignmentRun[]; mayCancel: boolean }) {
  const t = useTranslations("ops.runs");
  const cancel = useCancelReassignmentMutation(cluster);
  if (runs.length === 0) return null;
  return (
    <section className="space-y-3" data-testid="reassign-runs">
      <h2 className="text-lg font-semibold">{t("heading")}</h2>
      {cancel.error && <ErrorPanel error={cancel.error} />}
      {runs.map((r) => {
        const share = r.total ? r.settled / r.total : 1;
        return (
          <div
            key={r.id}
            className="rounded-lg border border-slate-200 bg-white p-3 text-sm"
            data-testid="reassign-run"
          >
            <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
              <span className="font-mono text-xs">{r.id}</span>
              <span
                className={`rounded px-1.5 py-0.5 text-xs font-medium ${
                  r.status === "done"
                    ? "bg-emerald-100 text-emerald-800"
                    : r.status === "failed"
                      ? "bg-rose-100 text-rose-800"
                      : r.status === "cancelled"
                        ? "bg-slate-100 text-slate-700"
                        : "bg-sky-100 text-sky-800"
                }`}
                data-testid="reassign-run-status"
              >
                {t(`status.${r.status}`)}
              </span>
              <span data-testid="reassign-run-progress">
                {t("progress", {
                  settled: r.settled,
                  total: r.total,
                  copied: formatBytes(r.copied),
                  bytes: formatBytes(r.bytes),
                })}
              </span>
              <span className="text-slate-500">
                {t("started", { time: formatTime(r.startedAt) })}
                {r.finishedAt !== null && `, ${t("ended", { time: formatTime(r.finishedAt) })}`}
                {r.throttle !== null &&
                  ` · ${t(r.throttled ? "throttle" : "throttleRemoved", { rate: formatBytes(r.throttle) })}`}
              </span>
              {r.status === "running" && (
                <button
                  type="button"
                  onClick={() => cancel.mutate(r.id)}
                  disabled={!mayCancel || cancel.isPending}
                  className="ml-auto rounded-md border border-rose-300 px-2 py-1 text-xs text-rose-700 hover:bg-rose-50 disabled:opacity-50"
                  data-testid="reassign-cancel"
                >
                  {t("cancel")}
                </button>
              )}
            </div>
            <div className="mt-2 h-1.5 rounded bg-slate-100">
              <div className="h-1.5 rounded bg-emerald-500" style={{ width: `${Math.round(share * 100)}%` }} />
            </div>
            {r.error && <p className="mt-1 text-amber-700">{r.error}</p>}
            <details className="mt-2">
              <summary className="cursor-pointer text-xs text-slate-600">{t("partitions")}</summary>
              <ul className="mt-1 font-mono text-xs">
                {r.partitions.map((p) => (
                  <li key={`${p.topic}-${p.partition}`}>
                    {p.topic}-{p.partition}: [{p.before.join(",")}] → [{p.after.join(",")}] {t(`state.${p.state}`)}
                    {p.bytes !== null &&
                      p.adding.length > 0 &&
                      ` · ${t("copied", { copied: formatBytes(p.copied), bytes: formatBytes(p.bytes) })}`}
                    {p.error && ` · ${p.error}`}
                  </li>
                ))}
              </ul>
            </details>
          </div>
        );
      })}
    </section>
  );
}
