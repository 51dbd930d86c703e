import { useTranslations } from "next-intl";

/** The Kafka CLI command (or shell command) that does what a Quorum action does; `label` names it ("CLI equivalent" by default). */
export function CliCommand({ command, label }: { command: string; label?: string }) {
  const t = useTranslations("common.cliCommand");
  return (
    <div className="mt-2 rounded-md bg-slate-900 px-3 py-2 font-mono text-xs text-slate-100">
      <span className="select-none text-slate-400">{label ?? t("label")}: $ </span>
      <span data-testid="cli-command">{command}</span>
    </div>
  );
}
