/** The Kafka CLI command (or shell command) that does what a Quorum action does. */
export function CliCommand({ command, label = "CLI equivalent" }: { command: string; label?: string }) {
  return (
    <div className="mt-2 rounded-md bg-slate-900 px-3 py-2 font-mono text-xs text-slate-100">
      <span className="select-none text-slate-400">{label}: $ </span>
      <span data-testid="cli-command">{command}</span>
    </div>
  );
}
