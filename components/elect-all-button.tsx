"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useElectLeadersMutation } from "@/lib/hooks/api/brokers";
import { useReadOnly } from "@/lib/hooks/api/clusters";
import { useMay } from "@/lib/hooks/api/session";
import { sh, type Verbatim } from "@/lib/shell-quote";
import type { ElectionReport } from "@/lib/types";
import { CliCommand } from "./cli-command";
import { useErrorText } from "./use-error-text";

/** Preferred leader election over every partition: leadership back to each partition's first replica. */
export function ElectAllButton({ cluster, bootstrap }: { cluster: string; bootstrap: string | Verbatim }) {
  const elect = useElectLeadersMutation(cluster);
  const { readOnly, reason } = useReadOnly(cluster);
  const may = useMay(cluster);
  const [report, setReport] = useState<ElectionReport | null>(null);
  const t = useTranslations("overview.electAll");
  const errorText = useErrorText();
  if (!may("operator")) return null;
  return (
    <div className="space-y-2">
      <button
        type="button"
        data-testid="elect-all"
        disabled={elect.isPending || readOnly}
        title={reason}
        onClick={() => elect.mutate(undefined, { onSuccess: setReport })}
        className="rounded-md border border-violet-300 bg-white px-3 py-1.5 text-sm font-medium text-violet-800 hover:bg-violet-50 disabled:opacity-50"
      >
        {elect.isPending ? t("electing") : t("button")}
      </button>
      {elect.error && <p className="text-sm text-rose-700">{errorText(elect.error)}</p>}
      {report && (
        <div className="rounded-md bg-violet-50 p-3 text-sm text-violet-900" data-testid="election-report">
          {report.failed > 0
            ? t("reportFailed", {
                elected: String(report.elected),
                already: String(report.already),
                failed: String(report.failed),
              })
            : t("report", { elected: String(report.elected), already: String(report.already) })}
          <CliCommand
            command={sh`kafka-leader-election.sh --bootstrap-server ${bootstrap} --election-type PREFERRED --all-topic-partitions`}
          />
        </div>
      )}
    </div>
  );
}
