"use client";
import { useState } from "react";
import { useElectLeadersMutation } from "@/lib/hooks/api/brokers";
import { useReadOnly } from "@/lib/hooks/api/clusters";
import { useMay } from "@/lib/hooks/api/session";
import { sh, type Verbatim } from "@/lib/shell-quote";
import type { ElectionReport } from "@/lib/types";
import { CliCommand } from "./cli-command";

/** Preferred leader election over every partition: leadership back to each partition's first replica. */
export function ElectAllButton({ cluster, bootstrap }: { cluster: string; bootstrap: string | Verbatim }) {
  const elect = useElectLeadersMutation(cluster);
  const { readOnly, reason } = useReadOnly(cluster);
  const may = useMay(cluster);
  const [report, setReport] = useState<ElectionReport | null>(null);
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
        {elect.isPending ? "Electing…" : "Elect preferred leaders (all topics)"}
      </button>
      {elect.error && <p className="text-sm text-rose-700">{elect.error.message}</p>}
      {report && (
        <div className="rounded-md bg-violet-50 p-3 text-sm text-violet-900" data-testid="election-report">
          {report.elected} partition(s) moved back to their preferred leader, {report.already} already there
          {report.failed > 0 && `, ${report.failed} could not (preferred replica down or out of sync)`}.
          <CliCommand
            command={sh`kafka-leader-election.sh --bootstrap-server ${bootstrap} --election-type PREFERRED --all-topic-partitions`}
          />
        </div>
      )}
    </div>
  );
}
