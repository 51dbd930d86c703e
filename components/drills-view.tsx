"use client";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { useReadOnly } from "@/lib/hooks/api/clusters";
import { useAbortDrillMutation, useDrillsQuery, useStartDrillMutation } from "@/lib/hooks/api/drills";
import { useMay } from "@/lib/hooks/api/session";
import { useTopicSearchQuery } from "@/lib/hooks/api/topics";
import { useDebounced } from "@/lib/hooks/use-debounced";
import type { DrillReport } from "@/lib/types";
import { ErrorPanel } from "./error-panel";
import { formatTime } from "./event-timeline";
import { TopicPicker } from "./topic-picker";
import { useErrorText } from "./use-error-text";
import { useFormat } from "./use-format";

/** Topics the picker offers at once: the first matches by name. */
const TOPIC_CHOICES = 50;

export function DrillsView({ cluster }: { cluster: string }) {
  const t = useTranslations("ops.drills");
  const errorText = useErrorText();
  const drills = useDrillsQuery(cluster);
  const [filter, setFilter] = useState("");
  // The picker asks the server for a few names that match what is typed, never for the whole list.
  const topics = useTopicSearchQuery(cluster, useDebounced(filter.trim(), 150), TOPIC_CHOICES);
  const start = useStartDrillMutation(cluster);
  const { readOnly, reason } = useReadOnly(cluster);
  const may = useMay(cluster);
  const candidates = (topics.data?.items ?? []).filter((t) => !t.internal && t.replicationFactor >= 2);
  const [picked, setTopic] = useState("");
  // A pick the current search no longer offers falls back to the first candidate.
  const topic = candidates.some((t) => t.name === picked) ? picked : "";
  const [mode, setMode] = useState<"graceful" | "kill">("graceful");
  const [kind, setKind] = useState<"failover" | "rolling-restart">("failover");
  const [cycles, setCycles] = useState(3);
  const [downSeconds, setDownSeconds] = useState(3);
  const running = drills.data?.find((d) => d.status === "running" || d.status === "verifying");
  const chosen = topic || candidates.find((t) => t.name === "orders")?.name || candidates[0]?.name || "";

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate({ topic: chosen, kind, mode, cycles, downMs: downSeconds * 1000, rate: 100 });
  };

  if (drills.error) return <ErrorPanel error={drills.error} />;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">{t("intro")}</p>
      </div>
      <form
        onSubmit={onSubmit}
        className="flex flex-wrap items-end gap-4 rounded-lg border border-slate-200 bg-white p-4"
        data-testid="drill-form"
      >
        <TopicPicker
          testId="drill-topic"
          filter={filter}
          onFilter={setFilter}
          topics={candidates}
          value={chosen}
          onChange={setTopic}
          detail={(topic) => t("topicDetail", { replicationFactor: topic.replicationFactor })}
        />
        <label className="text-sm">
          <span className="block font-medium">{t("drill")}</span>
          <select
            value={kind}
            onChange={(e) => setKind(e.target.value as "failover" | "rolling-restart")}
            className="mt-1 rounded-md border border-slate-300 px-2 py-1.5"
            data-testid="drill-kind"
          >
            <option value="failover">{t("kinds.failover")}</option>
            <option value="rolling-restart">{t("kinds.rollingRestart")}</option>
          </select>
        </label>
        <label className="text-sm">
          <span className="block font-medium">{t("stop")}</span>
          <select
            value={mode}
            onChange={(e) => {
              const next = e.target.value as "graceful" | "kill";
              setMode(next);
              // A killed broker is fenced only after the session timeout: keep it down longer than that.
              if (next === "kill" && downSeconds < 6) setDownSeconds(6);
            }}
            className="mt-1 rounded-md border border-slate-300 px-2 py-1.5"
            data-testid="drill-mode"
          >
            <option value="graceful">{t("modes.graceful")}</option>
            <option value="kill">{t("modes.kill")}</option>
          </select>
        </label>
        {kind === "failover" && (
          <label className="text-sm">
            <span className="block font-medium">{t("cycles")}</span>
            <input
              type="number"
              min={1}
              max={10}
              value={cycles}
              onChange={(e) => setCycles(Number(e.target.value))}
              className="mt-1 w-20 rounded-md border border-slate-300 px-2 py-1.5"
            />
          </label>
        )}
        <label className="text-sm">
          <span className="block font-medium">{t("downFor")}</span>
          <input
            type="number"
            min={1}
            max={60}
            value={downSeconds}
            onChange={(e) => setDownSeconds(Number(e.target.value))}
            className="mt-1 w-20 rounded-md border border-slate-300 px-2 py-1.5"
          />
        </label>
        <button
          type="submit"
          disabled={!chosen || Boolean(running) || start.isPending || readOnly || !may("admin")}
          title={may("admin") ? reason : t("adminOnly")}
          data-testid="drill-start"
          className="rounded-md bg-violet-600 px-4 py-2 text-sm font-medium text-white hover:bg-violet-700 disabled:opacity-50"
        >
          {running ? t("running") : t("run")}
        </button>
        {start.error && <p className="w-full text-sm text-rose-700">{errorText(start.error)}</p>}
        {candidates.length === 0 && topics.data && (
          <p className="w-full text-sm text-slate-600">
            {filter.trim() ? t("noMatch", { filter: filter.trim() }) : t("needsTopic")}
          </p>
        )}
      </form>
      {(drills.data ?? []).map((d) => (
        <DrillCard key={d.id} cluster={cluster} report={d} mayAbort={may("admin") && !readOnly} />
      ))}
      {drills.data?.length === 0 && <p className="text-sm text-slate-500">{t("none")}</p>}
    </div>
  );
}

function DrillCard({ cluster, report: d, mayAbort }: { cluster: string; report: DrillReport; mayAbort: boolean }) {
  const t = useTranslations("ops.drill");
  const { number: formatNumber } = useFormat();
  const abort = useAbortDrillMutation(cluster);
  const rolling = d.kind === "rolling-restart";
  const active = d.status === "running" || d.status === "verifying";
  const errors = Object.entries(d.producerErrors);
  const tone =
    d.status === "failed"
      ? "border-rose-300"
      : d.lost > 0
        ? "border-rose-400"
        : active
          ? "border-violet-300"
          : "border-emerald-300";
  return (
    <article className={`rounded-lg border-2 bg-white p-4 ${tone}`} data-testid="drill-report" data-status={d.status}>
      <header className="flex flex-wrap items-baseline gap-3">
        <h2 className="font-semibold">
          {t(rolling ? "titleRolling" : "title", {
            topic: d.topic,
            cycles: d.cycles,
            mode: t(`mode.${d.mode}`),
            seconds: d.downMs / 1000,
          })}
        </h2>
        <span className="text-sm text-slate-500">{formatTime(d.startedAt)}</span>
        <span className="text-sm font-medium" data-testid="drill-phase">
          {d.phase}
        </span>
        {d.status === "running" && mayAbort && (
          <button
            type="button"
            onClick={() => abort.mutate(d.id)}
            disabled={abort.isPending}
            className="ml-auto rounded-md border border-rose-300 px-2 py-1 text-xs text-rose-700 hover:bg-rose-50 disabled:opacity-50"
            data-testid="drill-abort"
          >
            {t("abort")}
          </button>
        )}
      </header>
      <dl className="mt-3 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4 lg:grid-cols-8">
        {(
          [
            ["sent", "sent", d.sent],
            ["acknowledged", "acknowledged", d.acknowledged],
            ["read-back", "readBack", d.read],
            ["lost", "lost", d.lost],
            ["duplicated", "duplicated", d.duplicated],
            ["failed-sends", "failedSends", errors.reduce((a, [, n]) => a + n, 0)],
            ["longest-stall", "longestStall", `${formatNumber(d.longestStallMs)} ms`],
            ["leader-changes", "leaderChanges", d.leaderChanges.length],
          ] as const
        ).map(([id, key, value]) => (
          <div key={id}>
            <dt className="text-xs text-slate-500">{t(`stats.${key}`)}</dt>
            <dd
              className={`text-lg font-semibold tabular-nums ${id === "lost" && Number(value) > 0 ? "text-rose-700" : ""}`}
              data-testid={`drill-${id}`}
            >
              {typeof value === "number" ? formatNumber(value) : value}
            </dd>
          </div>
        ))}
      </dl>
      {errors.length > 0 && (
        <p className="mt-2 text-xs text-slate-600">
          {t("producerErrors", { errors: errors.map(([k, n]) => `${k} × ${n}`).join(", ") })}
          {d.unacknowledgedButWritten > 0 && ` · ${t("writtenAnyway", { count: d.unacknowledgedButWritten })}`}
        </p>
      )}
      {d.lostSample.length > 0 && (
        <p className="mt-1 text-xs text-rose-700">{t("lostSample", { numbers: d.lostSample.join(", ") })}</p>
      )}
      {d.steps.length > 0 && (
        <ol className="mt-2 text-xs text-slate-600">
          {d.steps.map((s, i) => (
            <li key={`${s.broker}-${s.stoppedAt}`}>
              {t("step", {
                kind: rolling ? "restart" : "cycle",
                n: i + 1,
                broker: s.broker,
                mode: d.mode,
                time: formatTime(s.stoppedAt),
              })}
              {s.startedAt > 0 && `, ${t("stepStarted", { time: formatTime(s.startedAt) })}`}
              {s.inSyncAt && `, ${t("stepInSync", { ms: formatNumber(s.inSyncAt - s.startedAt) })}`}
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}
