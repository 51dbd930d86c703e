import type { ReactNode } from "react";

/** A column heading (unique within its table; "" for an unlabelled one), right-aligned when numeric. */
export type Column = string | { label: string; numeric?: boolean };

/** The console's plain table: bordered, scrolling sideways when narrow, a header row, body rows as children. */
export function DataTable({ testId, columns, children }: { testId: string; columns: Column[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full text-sm" data-testid={testId}>
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {columns.map((c) => {
              const col = typeof c === "string" ? { label: c } : c;
              return (
                <th key={col.label} className={`px-4 py-2 ${col.numeric ? "text-right" : ""}`}>
                  {col.label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}
