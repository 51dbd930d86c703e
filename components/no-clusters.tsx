import Link from "next/link";

export function NoClusters() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-8 text-center">
      <h1 className="text-lg font-semibold">No cluster configured</h1>
      <p className="mt-2 text-sm text-slate-600">
        Start the embedded lab cluster (unset <code>QUORUM_EMBEDDED=false</code>) or name an existing one with{" "}
        <code>QUORUM_CLUSTERS=prod=kafka1:9092,kafka2:9092</code> or in <code>quorum.config.json</code>, then restart
        Quorum — or{" "}
        <Link href="/clusters/new" className="font-medium text-emerald-700 hover:underline">
          add one now
        </Link>
        .
      </p>
    </div>
  );
}
