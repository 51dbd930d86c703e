import { ApiError } from "@/lib/api-client";

/** An error said plainly, with what to do next: never shown as an empty list. */
export function ErrorPanel({ error }: { error: Error }) {
  const hint =
    error instanceof ApiError && error.status === 401
      ? "Your session has ended: sign in again."
      : error instanceof ApiError && error.code === "forbidden"
        ? "An admin can grant the role it names in Quorum's config file."
        : error instanceof ApiError && error.status === 404
          ? "Check the address, or pick a cluster from the header."
          : error instanceof ApiError && error.status === 503
            ? "The cluster is not answering; Quorum retries by itself."
            : "Retrying automatically.";
  return (
    <div
      role="alert"
      data-testid="error-panel"
      className="rounded-lg border border-rose-200 bg-rose-50 p-4 text-sm text-rose-900"
    >
      <p className="font-medium">{error.message}</p>
      <p className="mt-1 text-rose-800">{hint}</p>
    </div>
  );
}
