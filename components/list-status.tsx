import type { ListSnapshot } from "@/lib/types";

/** How old the snapshot is in words: "just now", "3 s ago", "2 min ago". */
export function ageText(ms: number): string {
  if (ms < 1000) return "just now";
  if (ms < 60_000) return `${Math.round(ms / 1000)} s ago`;
  return `${Math.round(ms / 60_000)} min ago`;
}

/**
 * "N of M <things>" (matched of all in the cluster) and how old the cluster picture is, saying when
 * part of it could not be read.
 */
export function ListStatus({
  testId,
  noun,
  matched,
  total,
  snapshot,
  scope,
}: {
  testId: string;
  noun: string;
  matched: number;
  total: number;
  snapshot: ListSnapshot;
  /** The name patterns the user's grants cover, when they do not cover every name. */
  scope?: string[];
}) {
  return (
    <p className="flex flex-wrap gap-x-3 text-sm text-slate-600">
      <span data-testid={testId}>
        {matched.toLocaleString("en-US")} of {total.toLocaleString("en-US")} {noun}
      </span>
      <span
        className="text-slate-400"
        data-testid={`${testId}-age`}
        // Rendered on the server first (the topics page): the browser's clock and locale may word it otherwise.
        suppressHydrationWarning
        title={`Snapshot taken ${new Date(snapshot.takenAt).toLocaleTimeString()}`}
      >
        as of {ageText(snapshot.ageMs)}
      </span>
      {scope && (
        <span className="text-slate-500" data-testid={`${testId}-scope`}>
          {scope.length
            ? `only the ${noun} your role covers: ${scope.join(", ")}`
            : `your role covers no ${noun} on this cluster`}
        </span>
      )}
      {!snapshot.complete && (
        <span className="text-amber-700" data-testid={`${testId}-partial`}>
          part of the cluster could not be read: some figures are missing
        </span>
      )}
    </p>
  );
}
