"use client";
import { useTranslations } from "next-intl";
import type { DecodedData } from "@/lib/types";
import { useFormat } from "./use-format";

/** A one-line preview of a key or value for a table cell. */
export function preview(d: DecodedData | null, max = 120): string {
  if (d === null) return "null";
  let s = d.data;
  if (d.format === "json") {
    try {
      s = JSON.stringify(JSON.parse(d.data));
    } catch {
      // cut JSON: shown as it came
    }
  }
  s = s.replace(/\s+/g, " ");
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function JsonNode({ value, name, depth, path }: { value: unknown; name?: string; depth: number; path: string }) {
  const t = useTranslations("messages.value");
  const label = name !== undefined ? <span className="text-violet-700">{JSON.stringify(name)}: </span> : null;
  if (value === null || typeof value !== "object")
    return (
      <div className="pl-4">
        {label}
        <span className={typeof value === "string" ? "text-emerald-700" : "text-sky-700"}>{JSON.stringify(value)}</span>
      </div>
    );
  const entries: [string | undefined, unknown][] = Array.isArray(value)
    ? value.map((v) => [undefined, v])
    : Object.entries(value as Record<string, unknown>);
  const open = Array.isArray(value) ? "[" : "{";
  const close = Array.isArray(value) ? "]" : "}";
  const count = Array.isArray(value) ? t("items", { count: entries.length }) : t("keys", { count: entries.length });
  if (entries.length === 0)
    return (
      <div className="pl-4">
        {label}
        {open}
        {close}
      </div>
    );
  return (
    <details className="pl-4" open={depth < 2} data-testid="json-node" data-path={path}>
      <summary className="cursor-pointer select-none list-none marker:hidden">
        <span className="json-caret mr-1 w-3 text-slate-400">▸</span>
        {label}
        {open}
        <span className="json-folded text-slate-400">
          {" "}
          … {count} {close}
        </span>
      </summary>
      {entries.map(([k, v], i) => (
        <JsonNode
          key={k ?? i}
          name={k}
          value={v}
          depth={depth + 1}
          path={k === undefined ? `${path}[${i}]` : path === "" ? k : `${path}.${k}`}
        />
      ))}
      <div className="pl-4">{close}</div>
    </details>
  );
}

/** A key, value or header value shown whole: JSON pretty-printed with folding, text, hex in byte pairs, base64. */
export function DecodedView({ data, testId }: { data: DecodedData | null; testId?: string }) {
  const t = useTranslations("messages.value");
  const { number } = useFormat();
  if (data === null)
    return (
      <span className="font-mono text-xs italic text-slate-400" data-testid={testId}>
        {t("null")}
      </span>
    );
  let body: React.ReactNode;
  if (data.format === "json" && !data.truncated) {
    let parsed: unknown;
    let ok = true;
    try {
      parsed = JSON.parse(data.data);
    } catch {
      ok = false;
    }
    body = ok ? (
      <div className="-ml-4 font-mono text-xs" data-testid="json-tree">
        <JsonNode value={parsed} depth={0} path="" />
      </div>
    ) : (
      <pre className="whitespace-pre-wrap break-all font-mono text-xs">{data.data}</pre>
    );
  } else if (data.format === "hex")
    body = (
      <pre className="whitespace-pre-wrap break-all font-mono text-xs">{data.data.replace(/(..)(?!$)/g, "$1 ")}</pre>
    );
  else body = <pre className="whitespace-pre-wrap break-all font-mono text-xs">{data.data}</pre>;
  return (
    <div data-testid={testId}>
      <div className="mb-1 text-[11px] text-slate-500">
        {t("meta", { format: data.format, size: number(data.size) })}
        {data.truncated ? ` · ${t("truncated")}` : ""}
        {data.error ? <span className="ml-2 text-amber-700">({data.error})</span> : null}
      </div>
      {body}
    </div>
  );
}
