import http from "node:http";

export interface RawRequest {
  method: string;
  /** The request target exactly as sent: `%`-escapes are not touched. */
  path: string;
  /** Sent as given; a `Host` here replaces the one node would derive from the URL. */
  headers?: Record<string, string>;
  body?: string | Buffer;
  /**
   * Send the body with `Transfer-Encoding: chunked`, in pieces of this many bytes, and no
   * Content-Length. Without it a body goes out in one piece with its Content-Length.
   */
  chunkSize?: number;
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as text (at most the first MiB); empty for an event stream, which is not read. */
  body: string;
  /** The answer was an event stream: the connection was closed once its headers arrived. */
  stream: boolean;
}

const MAX_BODY = 1 << 20;

/**
 * One HTTP/1.1 request with `node:http`, on its own connection, with exactly the headers and body
 * framing asked for (fetch would add an Origin, Sec-Fetch-* and its own Content-Type). A server
 * that answers before the whole body is sent (a 413) still yields its answer: an error while
 * writing the rest is ignored once a response has arrived.
 */
export function rawRequest(baseURL: string, req: RawRequest): Promise<RawResponse> {
  const url = new URL(baseURL);
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
  const headers: Record<string, string> = { ...req.headers };
  const has = (name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name);
  if (body !== undefined) {
    if (req.chunkSize) headers["Transfer-Encoding"] = "chunked";
    else if (!has("content-length")) headers["Content-Length"] = String(body.length);
  }
  return new Promise((resolve, reject) => {
    let answered = false;
    const timer = setTimeout(() => {
      request.destroy(new Error(`no complete answer within ${req.timeoutMs ?? 30_000} ms`));
    }, req.timeoutMs ?? 30_000);
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers,
        agent: false,
      },
      (res) => {
        answered = true;
        const stream = String(res.headers["content-type"] ?? "").includes("text/event-stream");
        if (stream) {
          clearTimeout(timer);
          res.destroy();
          request.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: "", stream: true });
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          if (size < MAX_BODY) chunks.push(c);
          size += c.length;
        });
        res.on("end", () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).subarray(0, MAX_BODY).toString("utf8"),
            stream: false,
          });
        });
        res.on("error", (err) => {
          clearTimeout(timer);
          reject(err);
        });
      },
    );
    request.on("error", (err) => {
      if (answered) return;
      clearTimeout(timer);
      reject(err);
    });
    if (body === undefined) {
      request.end();
    } else if (req.chunkSize) {
      for (let at = 0; at < body.length; at += req.chunkSize) {
        if (request.destroyed) break;
        request.write(body.subarray(at, at + req.chunkSize));
      }
      if (!request.destroyed) request.end();
    } else {
      request.end(body);
    }
  });
}
