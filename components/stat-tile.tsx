import Link from "next/link";

export function StatTile({
  label,
  value,
  tone = "neutral",
  href,
  testId,
}: {
  label: string;
  value: string;
  tone?: "neutral" | "good" | "warn" | "bad";
  href?: string;
  testId?: string;
}) {
  const tones = {
    neutral: "text-slate-900",
    good: "text-emerald-700",
    warn: "text-amber-700",
    bad: "text-rose-700",
  };
  const body = (
    <div className="flex h-full flex-col justify-between rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm hover:border-slate-300">
      <div className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</div>
      <div className={`mt-1 text-2xl font-semibold tabular-nums ${tones[tone]}`} data-testid={testId}>
        {value}
      </div>
    </div>
  );
  return href ? (
    <Link href={href} className="block h-full">
      {body}
    </Link>
  ) : (
    body
  );
}
