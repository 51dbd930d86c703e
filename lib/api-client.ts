import type { ApiErrorBody } from "./types";

/** An error answer of Quorum's API, typed: code and message as the server said them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

function isErrorBody(x: unknown): x is ApiErrorBody {
  return typeof x === "object" && x !== null && "error" in x && typeof (x as ApiErrorBody).error?.message === "string";
}

/** The one way the browser calls the API: JSON in and out, non-2xx thrown as ApiError. */
export async function apiFetch<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init?.method ?? "GET",
      headers: init?.body === undefined ? undefined : { "content-type": "application/json" },
      body: init?.body === undefined ? undefined : JSON.stringify(init.body),
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, "network", "Quorum's server is not answering: is `npm start` still running?");
  }
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    if (isErrorBody(data)) throw new ApiError(res.status, data.error.code, data.error.message, data.error.field);
    throw new ApiError(res.status, "http", `The server answered ${res.status} ${res.statusText}`);
  }
  return data as T;
}
