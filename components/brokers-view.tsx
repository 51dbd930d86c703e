"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useAddBrokerMutation, useRemoveBrokerMutation } from "@/lib/hooks/api/brokers";
import { useBrokersQuery, useClusterQuery, useReadOnly } from "@/lib/hooks/api/clusters";
import { useMay, useSessionQuery } from "@/lib/hooks/api/session";
import { BrokerCard } from "./broker-card";
import { BrokerMetrics } from "./broker-metrics";
import { ControllerQuorum } from "./controller-quorum";
import { DataTable } from "./data-table";
import { ErrorPanel } from "./error-panel";
import { StatusBadge } from "./status-badge";
import { useErrorText } from "./use-error-text";

export function BrokersView({ cluster }: { cluster: string }) {
  const summary = useClusterQuery(cluster);
  const brokers = useBrokersQuery(cluster);
  const may = useMay(cluster);
  const session = useSessionQuery();
  const add = useAddBrokerMutation(cluster);
  const remove = useRemoveBrokerMutation(cluster);
  const { readOnly } = useReadOnly(cluster);
  const t = useTranslations("brokers");
  const errorText = useErrorText();
  if (brokers.error) return <ErrorPanel error={brokers.error} />;
  const list = brokers.data ?? [];
  const controllable = summary.data?.controllable ?? false;
  const totalLeaders = list.reduce((a, b) => a + b.leaderCount, 0);

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">{t("view.title")}</h1>
      <DataTable
        testId="brokers-table"
        columns={[
          t("view.columns.id"),
          t("view.columns.address"),
          t("view.columns.rack"),
          t("view.columns.status"),
          { label: t("view.columns.leaders"), numeric: true },
          t("view.columns.leadershipShare"),
          { label: t("view.columns.replicas"), numeric: true },
          { label: t("view.columns.pid"), numeric: true },
        ]}
      >
        {list.map((b) => (
          <tr key={b.id} data-testid={`broker-row-${b.id}`}>
            <td className="px-4 py-2 font-semibold">{b.id}</td>
            <td className="px-4 py-2 font-mono">
              {b.host}:{b.port}
            </td>
            <td className="px-4 py-2 text-slate-600">{b.rack ?? "—"}</td>
            <td className="px-4 py-2">
              <StatusBadge status={b.status} />
            </td>
            <td className="px-4 py-2 text-right tabular-nums">{b.leaderCount}</td>
            <td className="px-4 py-2">
              <div className="h-2 w-40 rounded bg-slate-100">
                <div
                  className="h-2 rounded bg-emerald-500"
                  style={{ width: `${totalLeaders ? (100 * b.leaderCount) / totalLeaders : 0}%` }}
                />
              </div>
            </td>
            <td className="px-4 py-2 text-right tabular-nums">{b.replicaCount}</td>
            <td className="px-4 py-2 text-right font-mono text-slate-600">{b.pid ?? "—"}</td>
          </tr>
        ))}
      </DataTable>
      <BrokerMetrics cluster={cluster} kind={summary.data?.kind} />
      {controllable && (
        <section>
          <h2 className="mb-1 text-lg font-semibold">{t("view.actions.heading")}</h2>
          <p className="mb-3 text-sm text-slate-600">{t("view.actions.intro")}</p>
          {session.data && !may("admin") && (
            <p className="mb-3 text-sm text-amber-800" data-testid="broker-actions-role">
              {t("view.actions.role", { role: session.data.roles[cluster] ?? t("view.actions.noRole") })}
            </p>
          )}
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {list.map((b) => (
              <BrokerCard key={b.id} cluster={cluster} broker={b} controllable />
            ))}
          </div>
        </section>
      )}
      {controllable && may("admin") && (
        <section data-testid="lab-topology">
          <h2 className="mb-1 text-lg font-semibold">{t("view.topology.heading")}</h2>
          <p className="mb-3 max-w-3xl text-sm text-slate-600">
            {t.rich("view.topology.intro", {
              link: (c) => (
                <Link className="text-emerald-700 underline" href={`/clusters/${encodeURIComponent(cluster)}/reassign`}>
                  {c}
                </Link>
              ),
            })}
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <button
              type="button"
              onClick={() => add.mutate()}
              disabled={readOnly || add.isPending}
              className="rounded-md bg-emerald-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-700 disabled:opacity-50"
              data-testid="broker-add"
            >
              {add.isPending ? t("view.topology.adding") : t("view.topology.add")}
            </button>
            {list
              .filter((b) => b.replicaCount === 0 && list.length > 1)
              .map((b) => (
                <button
                  key={b.id}
                  type="button"
                  onClick={() => remove.mutate(b.id)}
                  disabled={readOnly || remove.isPending}
                  className="rounded-md border border-rose-300 px-3 py-1.5 text-sm text-rose-700 hover:bg-rose-50 disabled:opacity-50"
                  data-testid={`broker-remove-${b.id}`}
                >
                  {t("view.topology.remove", { broker: b.id })}
                </button>
              ))}
          </div>
          {add.data && (
            <p className="mt-2 text-sm text-emerald-800" data-testid="broker-added">
              {t("view.topology.added", { broker: add.data.broker })}
            </p>
          )}
          {(add.error ?? remove.error) && (
            <p className="mt-2 text-sm text-rose-700">{errorText(add.error ?? remove.error)}</p>
          )}
        </section>
      )}
      <ControllerQuorum cluster={cluster} />
    </div>
  );
}
