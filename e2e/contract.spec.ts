import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { type ClusterShape, clusterShape, shapeChanges, stableClusterShape } from "../test/helpers/cluster-shape";
import { kafkaTopicConfigs } from "../test/helpers/kafka-configs";
import { hasKcat } from "../test/helpers/kcat";
import { type RawResponse, rawRequest } from "../test/helpers/raw-http";
import { CONFIG_FILE_CLUSTER } from "./fixtures/clusters";
import { labKafka, uniqueName } from "./fixtures/kafka";
import { baseURL } from "./pages/overview-page";

// The HTTP contract of the server exactly as `npm start` runs it (production build, real cluster,
// shared with every spec by global-setup): every bad request answers its 4xx with
// {"error":{"code","message"}}, never a 5xx, and changes nothing an independent client can see.

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

interface Case {
  name: string;
  method: Method;
  /** Sent as is: `%`-escapes stay as written. */
  path: string;
  headers?: Record<string, string>;
  /**
   * An object is sent as JSON with `Content-Type: application/json` unless `headers` names a
   * Content-Type; a string or Buffer is sent as is, with only the row's headers.
   */
  body?: string | Buffer | object;
  /** Send the body chunked (no Content-Length). */
  chunked?: boolean;
  expectStatus: number;
  /** The error's code; a page row (`page: true`) checks only the status. */
  expectCode?: string;
  expectField?: string;
  page?: boolean;
  /** Runs after the row's checks, e.g. to wait out what a wrongly accepted request started. */
  after?: (res: RawResponse) => Promise<void>;
}

interface Ctx {
  port: number;
  origin: string;
  /** The suite's own topic, 2 partitions, RF 2, with a '.' for the '.'/'_' collision case. */
  topic: string;
  /** Every name the suite may create starts with it, so leftovers can be found and removed. */
  prefix: string;
}

const api = "/api/clusters/local";
const jsonType = { "Content-Type": "application/json" };
const MiB = 1 << 20;

/** A JSON body written by hand (keys such as `__proto__` that an object literal cannot carry). */
const jsonText = (text: string) => ({ headers: jsonType, body: text });

function cases({ port, origin, topic, prefix }: Ctx): Case[] {
  const t = encodeURIComponent(topic);
  const missing = `${prefix}-missing`;
  const ok = { partitions: 1, replicationFactor: 1 };
  /** A create that would succeed if it got through: the protection under test must refuse it. */
  const wouldCreate = (n: string) => ({ name: `${prefix}-${n}`, ...ok });
  const wouldCreateText = (n: string) => JSON.stringify(wouldCreate(n));
  const evilHost = `rebind.evil.example:${port}`;
  const create = (name: string, body: object, expectStatus: number, expectCode: string, expectField?: string) =>
    ({ name, method: "POST", path: `${api}/topics`, body, expectStatus, expectCode, expectField }) as Case;
  const badName = (name: string, label: string) =>
    create(`create: name ${label}`, { ...ok, name }, 400, "validation_failed", "name");

  return [
    // The in-process bad-input table (test/integration/admin.test.ts), on the shipped server.
    {
      name: "create: body not JSON",
      method: "POST",
      path: `${api}/topics`,
      ...jsonText("{name:"),
      expectStatus: 400,
      expectCode: "invalid_json",
    },
    {
      name: "create: body an array",
      method: "POST",
      path: `${api}/topics`,
      body: [],
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    create("create: no name", { ...ok }, 400, "validation_failed", "name"),
    badName("", "empty"),
    badName(".", "'.'"),
    badName("..", "'..'"),
    badName("a b", "with a space"),
    badName("grüße", "with ü"),
    badName("x".repeat(250), "of 250 characters"),
    create("create: zero partitions", { ...ok, name: `${prefix}-p0`, partitions: 0 }, 400, "validation_failed"),
    create("create: negative partitions", { ...ok, name: `${prefix}-p0`, partitions: -3 }, 400, "validation_failed"),
    create("create: 10,001 partitions", { ...ok, name: `${prefix}-p0`, partitions: 10_001 }, 400, "validation_failed"),
    create("create: partitions a string", { ...ok, name: `${prefix}-p0`, partitions: "3" }, 400, "validation_failed"),
    create("create: fractional partitions", { ...ok, name: `${prefix}-p0`, partitions: 1.5 }, 400, "validation_failed"),
    create("create: RF zero", { ...ok, name: `${prefix}-p0`, replicationFactor: 0 }, 400, "validation_failed"),
    create(
      "create: RF above live brokers",
      { ...ok, name: `${prefix}-p0`, replicationFactor: 4 },
      400,
      "validation_failed",
    ),
    create(
      "create: unknown config",
      { ...ok, name: `${prefix}-p0`, configs: { "no.such": "1" } },
      400,
      "validation_failed",
    ),
    create(
      "create: config of the wrong type",
      { ...ok, name: `${prefix}-p0`, configs: { "retention.ms": "soon" } },
      400,
      "validation_failed",
    ),
    create(
      "create: bad cleanup.policy",
      { ...ok, name: `${prefix}-p0`, configs: { "cleanup.policy": "never" } },
      400,
      "validation_failed",
    ),
    create("create: unknown field", { ...ok, name: `${prefix}-p0`, colour: "red" }, 400, "validation_failed"),
    create("create: existing topic", { ...ok, name: topic }, 409, "topic_already_exists"),
    create(
      "create: name colliding on . and _",
      { ...ok, name: topic.replace(".", "_") },
      400,
      "invalid_topic_exception",
    ),
    {
      name: "partitions: same count",
      method: "POST",
      path: `${api}/topics/${t}/partitions`,
      body: { count: 2 },
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    {
      name: "partitions: shrink",
      method: "POST",
      path: `${api}/topics/${t}/partitions`,
      body: { count: 1 },
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    {
      name: "partitions: zero",
      method: "POST",
      path: `${api}/topics/${t}/partitions`,
      body: { count: 0 },
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    {
      name: "partitions: not a number",
      method: "POST",
      path: `${api}/topics/${t}/partitions`,
      body: { count: "many" },
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    {
      name: "partitions: huge",
      method: "POST",
      path: `${api}/topics/${t}/partitions`,
      body: { count: 1e9 },
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    {
      name: "partitions: unknown topic",
      method: "POST",
      path: `${api}/topics/${missing}/partitions`,
      body: { count: 9 },
      expectStatus: 404,
      expectCode: "topic_not_found",
    },
    {
      name: "delete: unknown topic",
      method: "DELETE",
      path: `${api}/topics/${missing}`,
      expectStatus: 404,
      expectCode: "topic_not_found",
    },
    {
      name: "delete: internal topic",
      method: "DELETE",
      path: `${api}/topics/__consumer_offsets`,
      expectStatus: 409,
      expectCode: "internal_topic",
    },
    {
      name: "configs: none named",
      method: "PATCH",
      path: `${api}/topics/${t}/configs`,
      body: { configs: {} },
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    {
      name: "configs: min.insync.replicas 0",
      method: "PATCH",
      path: `${api}/topics/${t}/configs`,
      body: { configs: { "min.insync.replicas": 0 } },
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    {
      name: "configs: unknown topic",
      method: "PATCH",
      path: `${api}/topics/${missing}/configs`,
      body: { configs: { "retention.ms": 1 } },
      expectStatus: 404,
      expectCode: "topic_not_found",
    },
    {
      name: "stop: unknown broker",
      method: "POST",
      path: `${api}/brokers/99/stop`,
      body: { mode: "graceful" },
      expectStatus: 404,
      expectCode: "broker_not_found",
    },
    {
      name: "stop: broker id not a number",
      method: "POST",
      path: `${api}/brokers/abc/stop`,
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    {
      name: "stop: unknown mode",
      method: "POST",
      path: `${api}/brokers/1/stop`,
      body: { mode: "nicely" },
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    {
      name: "start: broker already up (no body, no Content-Type)",
      method: "POST",
      path: `${api}/brokers/1/start`,
      expectStatus: 409,
      expectCode: "conflict",
    },
    {
      name: "start: unknown broker",
      method: "POST",
      path: `${api}/brokers/7/start`,
      expectStatus: 404,
      expectCode: "broker_not_found",
    },
    {
      name: "elect: unknown topic",
      method: "POST",
      path: `${api}/elect-leaders`,
      body: { topic: missing },
      expectStatus: 404,
      expectCode: "topic_not_found",
    },
    {
      name: "elect: invalid topic name",
      method: "POST",
      path: `${api}/elect-leaders`,
      body: { topic: "a b" },
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    // Messages: browse (GET) and produce (POST).
    ...(
      [
        ["offset negative", "?offset=-1", 400, "validation_failed", "offset"],
        ["offset not a number", "?offset=abc", 400, "validation_failed", "offset"],
        ["offset with an exponent", "?offset=1e3", 400, "validation_failed", "offset"],
        ["offset past int64", "?offset=9223372036854775808", 400, "validation_failed", "offset"],
        ["limit above the cap", "?limit=1001", 400, "validation_failed", "limit"],
        ["limit zero", "?limit=0", 400, "validation_failed", "limit"],
        ["unknown partition", "?partition=7", 400, "validation_failed", "partition"],
        ["negative partition", "?partition=-1", 400, "validation_failed", "partition"],
        ["unknown isolation", "?isolation=dirty", 400, "validation_failed", "isolation"],
        ["unknown seek", "?seek=middle", 400, "validation_failed", "seek"],
        ["seek=offset without an offset", "?seek=offset", 400, "validation_failed", "offset"],
        ["timestamp not a time", "?timestamp=yesterday", 400, "validation_failed", "timestamp"],
        ["cursor not a cursor", "?cursor=nonsense", 400, "validation_failed", "cursor"],
        ["cursor with an offset", "?cursor=abc&offset=1", 400, "validation_failed", "cursor"],
        ["unknown value format", "?valueFormat=xml", 400, "validation_failed", "valueFormat"],
        ["unknown parameter", "?ofset=1", 400, "validation_failed", undefined],
      ] as const
    ).map(
      ([label, query, expectStatus, expectCode, expectField]): Case => ({
        name: `messages: ${label}`,
        method: "GET",
        path: `${api}/topics/${t}/messages${query}`,
        expectStatus,
        expectCode,
        ...(expectField ? { expectField } : {}),
      }),
    ),
    ...(
      [
        ["topics", "limit 0", "?limit=0", "limit"],
        ["topics", "limit over 1000", "?limit=1001", "limit"],
        ["topics", "limit not a number", "?limit=ten", "limit"],
        ["topics", "negative offset", "?offset=-1", "offset"],
        ["topics", "fractional offset", "?offset=1.5", "offset"],
        ["topics", "unknown sort column", "?sort=lag", "sort"],
        ["topics", "unknown direction", "?dir=up", "dir"],
        ["topics", "internal not a boolean", "?internal=yes", "internal"],
        ["topics", "search over 256 characters", `?q=${"x".repeat(257)}`, "q"],
        ["topics", "unknown parameter", "?page=2", undefined],
        ["consumer-groups", "limit over 1000", "?limit=5000", "limit"],
        ["consumer-groups", "negative offset", "?offset=-3", "offset"],
        ["consumer-groups", "a topic column as sort", "?sort=partitions", "sort"],
        ["consumer-groups", "unknown direction", "?dir=down", "dir"],
        ["consumer-groups", "internal is a topic parameter", "?internal=true", undefined],
      ] as const
    ).map(
      ([list, label, query, expectField]): Case => ({
        name: `list ${list}: ${label}`,
        method: "GET",
        path: `${api}/${list}${query}`,
        expectStatus: 400,
        expectCode: "validation_failed",
        ...(expectField ? { expectField } : {}),
      }),
    ),
    // The leadership summary and the partitions' optional paging: bad query parameters.
    ...(
      [
        ["limit zero", "?limit=0", "limit"],
        ["limit above the cap", "?limit=501", "limit"],
        ["limit not a number", "?limit=all", "limit"],
        ["offset negative", "?offset=-5", "offset"],
        ["unknown sort", "?sort=leaders", "sort"],
        ["internal not a boolean", "?internal=yes", "internal"],
        ["filter longer than a topic name", `?q=${"x".repeat(250)}`, "q"],
        ["unknown parameter", "?page=2", undefined],
      ] as const
    ).map(
      ([label, query, expectField]): Case => ({
        name: `leadership: ${label}`,
        method: "GET",
        path: `${api}/leadership${query}`,
        expectStatus: 400,
        expectCode: "validation_failed",
        ...(expectField ? { expectField } : {}),
      }),
    ),
    {
      name: "leadership: unknown cluster",
      method: "GET",
      path: "/api/clusters/nope/leadership",
      expectStatus: 404,
      expectCode: "cluster_not_found",
    },
    {
      name: "leadership: POST is not served",
      method: "POST",
      path: `${api}/leadership`,
      expectStatus: 405,
      expectCode: "method_not_allowed",
    },
    ...(
      [
        ["limit zero", "?limit=0", "limit"],
        ["limit above the cap", "?limit=5001", "limit"],
        ["offset not a number", "?offset=x", "offset"],
        ["empty topic", "?topic=", "topic"],
        ["internal not a boolean", "?internal=1", "internal"],
        ["unknown parameter", "?partition=0", undefined],
      ] as const
    ).map(
      ([label, query, expectField]): Case => ({
        name: `partitions list: ${label}`,
        method: "GET",
        path: `${api}/partitions${query}`,
        expectStatus: 400,
        expectCode: "validation_failed",
        ...(expectField ? { expectField } : {}),
      }),
    ),
    {
      name: "partitions list: unknown topic",
      method: "GET",
      path: `${api}/partitions?topic=${missing}`,
      expectStatus: 404,
      expectCode: "topic_not_found",
    },
    {
      name: "messages: unknown topic",
      method: "GET",
      path: `${api}/topics/${missing}/messages`,
      expectStatus: 404,
      expectCode: "topic_not_found",
    },
    {
      name: "messages: partition for a key, unknown topic",
      method: "GET",
      path: `${api}/topics/${missing}/messages/partition?key=a`,
      expectStatus: 404,
      expectCode: "topic_not_found",
    },
    {
      name: "messages: partition for a key, unknown parameter",
      method: "GET",
      path: `${api}/topics/${t}/messages/partition?kee=a`,
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    ...(
      [
        ["invalid regex", "?mode=regex&pattern=a(b", 400, "validation_failed", "pattern"],
        ["regex with a backreference", "?mode=regex&pattern=(a)%5C1", 400, "validation_failed", "pattern"],
        [
          "pattern over 500 characters",
          `?mode=substring&pattern=${"x".repeat(501)}`,
          400,
          "validation_failed",
          "pattern",
        ],
        [
          "budget above the cap",
          "?mode=substring&pattern=x&maxMessages=10000001",
          400,
          "validation_failed",
          "maxMessages",
        ],
        ["seconds above the cap", "?mode=substring&pattern=x&maxSeconds=301", 400, "validation_failed", "maxSeconds"],
        ["unknown mode", "?mode=fuzzy&pattern=x", 400, "validation_failed", "mode"],
        ["JSON path malformed", "?mode=jsonpath&path=a..b&op=%3D%3D&operand=1", 400, "validation_failed", "path"],
        ["unknown partition", "?mode=substring&pattern=x&partition=7", 400, "validation_failed", "partition"],
        ["negative offset", "?mode=substring&pattern=x&seek=offset&offset=-1", 400, "validation_failed", "offset"],
      ] as const
    ).map(
      ([label, query, expectStatus, expectCode, expectField]): Case => ({
        name: `search: ${label}`,
        method: "GET",
        path: `${api}/topics/${t}/messages/search${query}`,
        expectStatus,
        expectCode,
        expectField,
      }),
    ),
    {
      name: "search: unknown topic",
      method: "GET",
      path: `${api}/topics/${missing}/messages/search?mode=substring&pattern=x`,
      expectStatus: 404,
      expectCode: "topic_not_found",
    },
    {
      name: "search: POST",
      method: "POST",
      path: `${api}/topics/${t}/messages/search`,
      body: { mode: "substring" },
      expectStatus: 405,
      expectCode: "method_not_allowed",
    },
    ...(
      [
        ["rate above the cap", "?maxRate=1001", 400, "validation_failed", "maxRate"],
        ["rate zero", "?maxRate=0", 400, "validation_failed", "maxRate"],
        ["unknown partition", "?partition=0,9", 400, "validation_failed", "partition"],
        ["partition not a number", "?partition=a", 400, "validation_failed", "partition"],
        ["unknown parameter", "?from=end", 400, "validation_failed", undefined],
      ] as const
    ).map(
      ([label, query, expectStatus, expectCode, expectField]): Case => ({
        name: `tail: ${label}`,
        method: "GET",
        path: `${api}/topics/${t}/messages/tail${query}`,
        expectStatus,
        expectCode,
        ...(expectField ? { expectField } : {}),
      }),
    ),
    {
      name: "tail: unknown topic",
      method: "GET",
      path: `${api}/topics/${missing}/messages/tail`,
      expectStatus: 404,
      expectCode: "topic_not_found",
    },
    ...(
      [
        ["malformed JSON value", { value: "{nope", valueType: "json" }, 400, "validation_failed", "value"],
        ["no value", { key: "k" }, 400, "validation_failed", "value"],
        ["acks 2", { value: "x", acks: 2 }, 400, "validation_failed", "acks"],
        ["unknown partition", { value: "x", partition: 7 }, 400, "validation_failed", "partition"],
        ["negative partition", { value: "x", partition: -1 }, 400, "validation_failed", "partition"],
        [
          "header without a key",
          { value: "x", headers: [{ key: "", value: "v" }] },
          400,
          "validation_failed",
          "headers.0.key",
        ],
        ["unknown field", { value: "x", colour: "red" }, 400, "validation_failed", undefined],
      ] as const
    ).map(
      ([label, body, expectStatus, expectCode, expectField]): Case => ({
        name: `produce: ${label}`,
        method: "POST",
        path: `${api}/topics/${t}/messages`,
        body,
        expectStatus,
        expectCode,
        ...(expectField ? { expectField } : {}),
      }),
    ),
    {
      name: "produce: body not JSON",
      method: "POST",
      path: `${api}/topics/${t}/messages`,
      ...jsonText('{"value":'),
      expectStatus: 400,
      expectCode: "invalid_json",
    },
    {
      name: "produce: unknown topic",
      method: "POST",
      path: `${api}/topics/${missing}/messages`,
      body: { value: "x" },
      expectStatus: 404,
      expectCode: "topic_not_found",
    },
    {
      name: "produce: internal topic",
      method: "POST",
      path: `${api}/topics/__consumer_offsets/messages`,
      body: { value: "x" },
      expectStatus: 409,
      expectCode: "internal_topic",
    },
    {
      name: "produce: text/plain",
      method: "POST",
      path: `${api}/topics/${t}/messages`,
      headers: { "Content-Type": "text/plain" },
      body: JSON.stringify({ value: "x" }),
      expectStatus: 415,
      expectCode: "unsupported_media_type",
    },
    {
      name: "produce: cross-site",
      method: "POST",
      path: `${api}/topics/${t}/messages`,
      headers: { ...jsonType, Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
      body: { value: "x" },
      expectStatus: 403,
      expectCode: "cross_origin",
    },
    {
      name: "produce: PUT",
      method: "PUT",
      path: `${api}/topics/${t}/messages`,
      body: { value: "x" },
      expectStatus: 405,
      expectCode: "method_not_allowed",
    },
    {
      name: "any: unknown cluster",
      method: "POST",
      path: "/api/clusters/nope/topics",
      body: wouldCreate("nope"),
      expectStatus: 404,
      expectCode: "cluster_not_found",
    },

    // Sign-in, on a console whose config file has no "auth" section: off, and said so.
    {
      name: "sign-in: while sign-in is off",
      method: "POST",
      path: "/api/auth/sign-in",
      body: { user: "ana", password: "correct horse battery" },
      expectStatus: 409,
      expectCode: "conflict",
    },
    {
      name: "sign-out: while sign-in is off",
      method: "POST",
      path: "/api/auth/sign-out",
      expectStatus: 409,
      expectCode: "conflict",
    },
    {
      name: "sign-in: cross-site",
      method: "POST",
      path: "/api/auth/sign-in",
      headers: { ...jsonType, "Sec-Fetch-Site": "cross-site" },
      body: { user: "ana", password: "correct horse battery" },
      expectStatus: 403,
      expectCode: "cross_origin",
    },
    {
      name: "sign-in: text/plain",
      method: "POST",
      path: "/api/auth/sign-in",
      headers: { "Content-Type": "text/plain" },
      body: '{"user":"ana","password":"correct horse battery"}',
      expectStatus: 415,
      expectCode: "unsupported_media_type",
    },
    {
      name: "tokens: list while sign-in is off",
      method: "GET",
      path: "/api/auth/tokens",
      expectStatus: 409,
      expectCode: "conflict",
    },
    {
      name: "tokens: make while sign-in is off",
      method: "POST",
      path: "/api/auth/tokens",
      body: { name: "ci", role: "viewer" },
      expectStatus: 409,
      expectCode: "conflict",
    },
    {
      name: "tokens: make, cross-site",
      method: "POST",
      path: "/api/auth/tokens",
      headers: { ...jsonType, Origin: "https://evil.example" },
      body: { name: "ci", role: "admin" },
      expectStatus: 403,
      expectCode: "cross_origin",
    },
    {
      name: "tokens: make, text/plain",
      method: "POST",
      path: "/api/auth/tokens",
      headers: { "Content-Type": "text/plain" },
      body: '{"name":"ci","role":"admin"}',
      expectStatus: 415,
      expectCode: "unsupported_media_type",
    },
    {
      name: "tokens: revoke while sign-in is off",
      method: "DELETE",
      path: "/api/auth/tokens/0123456789ab",
      expectStatus: 409,
      expectCode: "conflict",
    },
    {
      name: "tokens: PATCH",
      method: "PATCH",
      path: "/api/auth/tokens",
      body: {},
      expectStatus: 405,
      expectCode: "method_not_allowed",
    },
    {
      name: "oidc start while it is off",
      method: "GET",
      path: "/api/auth/oidc/start",
      expectStatus: 409,
      expectCode: "conflict",
    },
    {
      name: "oidc callback while it is off",
      method: "GET",
      path: "/api/auth/oidc/callback?code=x&state=y",
      expectStatus: 409,
      expectCode: "conflict",
    },
    {
      name: "audit: limit 0",
      method: "GET",
      path: "/api/audit?limit=0",
      expectStatus: 400,
      expectCode: "validation_failed",
      expectField: "limit",
    },
    {
      name: "audit: limit 1001",
      method: "GET",
      path: "/api/audit?limit=1001",
      expectStatus: 400,
      expectCode: "validation_failed",
      expectField: "limit",
    },
    {
      name: "audit: refused not true or false",
      method: "GET",
      path: "/api/audit?refused=maybe",
      expectStatus: 400,
      expectCode: "validation_failed",
      expectField: "refused",
    },
    {
      name: "audit: unknown parameter",
      method: "GET",
      path: "/api/audit?colour=red",
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    {
      name: "audit: unknown format",
      method: "GET",
      path: "/api/audit?format=csv",
      expectStatus: 400,
      expectCode: "validation_failed",
      expectField: "format",
    },
    {
      name: "audit: POST",
      method: "POST",
      path: "/api/audit",
      body: {},
      expectStatus: 405,
      expectCode: "method_not_allowed",
    },
    {
      name: "session: PUT",
      method: "PUT",
      path: "/api/auth/session",
      expectStatus: 405,
      expectCode: "method_not_allowed",
    },

    // Host: only the console's own names (DNS rebinding).
    {
      name: "host: foreign name, GET",
      method: "GET",
      path: "/api/clusters",
      headers: { Host: evilHost },
      expectStatus: 403,
      expectCode: "unknown_host",
    },
    {
      name: "host: foreign name without a port, GET topic",
      method: "GET",
      path: `${api}/topics/${t}`,
      headers: { Host: "rebind.evil.example" },
      expectStatus: 403,
      expectCode: "unknown_host",
    },
    {
      name: "host: own address, other port",
      method: "GET",
      path: "/api/clusters",
      headers: { Host: "127.0.0.1:1" },
      expectStatus: 403,
      expectCode: "unknown_host",
    },
    {
      name: "host: foreign name, event stream",
      method: "GET",
      path: `${api}/events`,
      headers: { Host: evilHost },
      expectStatus: 403,
      expectCode: "unknown_host",
    },
    {
      name: "host: foreign name, metrics",
      method: "GET",
      path: "/metrics",
      headers: { Host: evilHost },
      expectStatus: 403,
      expectCode: "unknown_host",
    },
    {
      name: "host: foreign name, page",
      method: "GET",
      path: "/",
      headers: { Host: evilHost },
      expectStatus: 403,
      page: true,
    },
    {
      name: "host: foreign name, create",
      method: "POST",
      path: `${api}/topics`,
      headers: { Host: evilHost },
      body: wouldCreate("host"),
      expectStatus: 403,
      expectCode: "unknown_host",
    },
    {
      name: "host: localhost accepted",
      method: "GET",
      path: "/api/clusters/nope",
      headers: { Host: `localhost:${port}` },
      expectStatus: 404,
      expectCode: "cluster_not_found",
    },
    {
      name: "host: [::1] accepted",
      method: "GET",
      path: "/api/clusters/nope",
      headers: { Host: `[::1]:${port}` },
      expectStatus: 404,
      expectCode: "cluster_not_found",
    },
    {
      name: "host: localhost with its own Origin reaches the route",
      method: "POST",
      path: `${api}/topics`,
      headers: { ...jsonType, Host: `localhost:${port}`, Origin: `http://localhost:${port}` },
      body: { ...ok, name: "a b" },
      expectStatus: 400,
      expectCode: "validation_failed",
      expectField: "name",
    },

    // Content-Type: only JSON (a text/plain, form or multipart POST needs no preflight).
    {
      name: "type: text/plain create",
      method: "POST",
      path: `${api}/topics`,
      headers: { "Content-Type": "text/plain" },
      body: wouldCreateText("text-plain"),
      expectStatus: 415,
      expectCode: "unsupported_media_type",
    },
    {
      name: "type: text/plain;charset=UTF-8 create",
      method: "POST",
      path: `${api}/topics`,
      headers: { "Content-Type": "text/plain;charset=UTF-8" },
      body: wouldCreateText("text-plain-utf8"),
      expectStatus: 415,
      expectCode: "unsupported_media_type",
    },
    {
      name: "type: form-urlencoded create",
      method: "POST",
      path: `${api}/topics`,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: wouldCreateText("form"),
      expectStatus: 415,
      expectCode: "unsupported_media_type",
    },
    {
      name: "type: multipart create",
      method: "POST",
      path: `${api}/topics`,
      headers: { "Content-Type": "multipart/form-data; boundary=x" },
      body: wouldCreateText("multipart"),
      expectStatus: 415,
      expectCode: "unsupported_media_type",
    },
    {
      name: "type: none, with a body",
      method: "POST",
      path: `${api}/topics`,
      body: wouldCreateText("no-type"),
      expectStatus: 415,
      expectCode: "unsupported_media_type",
    },
    {
      name: "type: text/plain config change",
      method: "PATCH",
      path: `${api}/topics/${t}/configs`,
      headers: { "Content-Type": "text/plain" },
      body: JSON.stringify({ configs: { "retention.ms": 3_600_001 } }),
      expectStatus: 415,
      expectCode: "unsupported_media_type",
    },
    {
      name: "type: text/plain delete with a body",
      method: "DELETE",
      path: `${api}/topics/${missing}`,
      headers: { "Content-Type": "text/plain" },
      body: "{}",
      expectStatus: 415,
      expectCode: "unsupported_media_type",
    },
    {
      name: "type: text/plain broker kill",
      method: "POST",
      path: `${api}/brokers/99/stop`,
      headers: { "Content-Type": "text/plain" },
      body: JSON.stringify({ mode: "kill", confirm: true }),
      expectStatus: 415,
      expectCode: "unsupported_media_type",
    },
    {
      name: "type: text/plain election",
      method: "POST",
      path: `${api}/elect-leaders`,
      headers: { "Content-Type": "text/plain" },
      body: "{}",
      expectStatus: 415,
      expectCode: "unsupported_media_type",
    },
    {
      name: "type: body-less delete without Content-Type reaches the route",
      method: "DELETE",
      path: `${api}/topics/${missing}`,
      expectStatus: 404,
      expectCode: "topic_not_found",
    },
    {
      name: "type: application/json; charset=utf-8 reaches the route",
      method: "POST",
      path: `${api}/topics`,
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: { ...ok, name: "a b" },
      expectStatus: 400,
      expectCode: "validation_failed",
      expectField: "name",
    },

    // Origin / Sec-Fetch-Site: mutations only from the console's own pages (or no browser at all).
    {
      name: "origin: foreign, create",
      method: "POST",
      path: `${api}/topics`,
      headers: { ...jsonType, Origin: "http://evil.example" },
      body: wouldCreate("origin"),
      expectStatus: 403,
      expectCode: "cross_origin",
    },
    {
      name: "origin: own address, other port, create",
      method: "POST",
      path: `${api}/topics`,
      headers: { ...jsonType, Origin: "http://127.0.0.1:1" },
      body: wouldCreate("origin-port"),
      expectStatus: 403,
      expectCode: "cross_origin",
    },
    {
      name: "origin: null, create",
      method: "POST",
      path: `${api}/topics`,
      headers: { ...jsonType, Origin: "null" },
      body: wouldCreate("origin-null"),
      expectStatus: 403,
      expectCode: "cross_origin",
    },
    {
      name: "origin: Sec-Fetch-Site cross-site, create",
      method: "POST",
      path: `${api}/topics`,
      headers: { ...jsonType, "Sec-Fetch-Site": "cross-site" },
      body: wouldCreate("cross-site"),
      expectStatus: 403,
      expectCode: "cross_origin",
    },
    {
      name: "origin: Sec-Fetch-Site same-site, create",
      method: "POST",
      path: `${api}/topics`,
      headers: { ...jsonType, "Sec-Fetch-Site": "same-site" },
      body: wouldCreate("same-site"),
      expectStatus: 403,
      expectCode: "cross_origin",
    },
    {
      name: "origin: foreign, config change",
      method: "PATCH",
      path: `${api}/topics/${t}/configs`,
      headers: { ...jsonType, Origin: "http://evil.example" },
      body: { configs: { "retention.ms": 3_600_002 } },
      expectStatus: 403,
      expectCode: "cross_origin",
    },
    {
      name: "origin: foreign, delete",
      method: "DELETE",
      path: `${api}/topics/${missing}`,
      headers: { Origin: "http://evil.example" },
      expectStatus: 403,
      expectCode: "cross_origin",
    },
    {
      name: "origin: foreign, broker kill",
      method: "POST",
      path: `${api}/brokers/99/stop`,
      headers: { ...jsonType, Origin: "http://evil.example" },
      body: { mode: "kill", confirm: true },
      expectStatus: 403,
      expectCode: "cross_origin",
    },
    {
      name: "origin: foreign, broker start",
      method: "POST",
      path: `${api}/brokers/7/start`,
      headers: { Origin: "http://evil.example" },
      expectStatus: 403,
      expectCode: "cross_origin",
    },
    {
      name: "origin: same origin reaches the route",
      method: "POST",
      path: `${api}/topics`,
      headers: { ...jsonType, Origin: origin },
      body: { ...ok, name: "." },
      expectStatus: 400,
      expectCode: "validation_failed",
      expectField: "name",
    },
    {
      name: "origin: Sec-Fetch-Site same-origin reaches the route",
      method: "POST",
      path: `${api}/topics`,
      headers: { ...jsonType, Origin: origin, "Sec-Fetch-Site": "same-origin" },
      body: { ...ok, name: ".." },
      expectStatus: 400,
      expectCode: "validation_failed",
      expectField: "name",
    },
    {
      name: "origin: none and no Sec-Fetch-Site (curl) reaches the route",
      method: "POST",
      path: `${api}/topics`,
      body: { ...ok, name: "" },
      expectStatus: 400,
      expectCode: "validation_failed",
      expectField: "name",
    },

    // Bodies are capped before being read whole.
    {
      name: "size: 1 MiB + 1 with Content-Length",
      method: "POST",
      path: `${api}/topics`,
      headers: jsonType,
      body: JSON.stringify({ ...ok, name: "x".repeat(MiB) }),
      expectStatus: 413,
      expectCode: "payload_too_large",
    },
    {
      name: "size: 1 MiB + 1 chunked",
      method: "POST",
      path: `${api}/topics`,
      headers: jsonType,
      body: JSON.stringify({ ...ok, name: "x".repeat(MiB) }),
      chunked: true,
      expectStatus: 413,
      expectCode: "payload_too_large",
    },
    {
      name: "size: 4 MiB chunked config change",
      method: "PATCH",
      path: `${api}/topics/${t}/configs`,
      headers: jsonType,
      body: JSON.stringify({ configs: { "retention.ms": 1 }, pad: "x".repeat(4 * MiB) }),
      chunked: true,
      expectStatus: 413,
      expectCode: "payload_too_large",
    },

    // Routing: JSON answers for paths and methods that do not exist.
    { name: "route: unknown /api path", method: "GET", path: "/api/nope", expectStatus: 404, expectCode: "not_found" },
    {
      name: "route: unknown path under a cluster",
      method: "GET",
      path: `${api}/nope`,
      expectStatus: 404,
      expectCode: "not_found",
    },
    {
      name: "route: POST to an unknown path",
      method: "POST",
      path: `${api}/nope`,
      body: {},
      expectStatus: 404,
      expectCode: "not_found",
    },
    {
      name: "route: PUT on topics",
      method: "PUT",
      path: `${api}/topics`,
      body: wouldCreate("put"),
      expectStatus: 405,
      expectCode: "method_not_allowed",
    },
    {
      name: "route: DELETE on the cluster list",
      method: "DELETE",
      path: "/api/clusters",
      expectStatus: 405,
      expectCode: "method_not_allowed",
    },
    {
      name: "route: PATCH on a topic",
      method: "PATCH",
      path: `${api}/topics/${t}`,
      body: { partitions: 3 },
      expectStatus: 405,
      expectCode: "method_not_allowed",
    },

    // %-encoded and unicode names.
    {
      name: "names: GET %E2%9C%93",
      method: "GET",
      path: `${api}/topics/%E2%9C%93`,
      expectStatus: 404,
      expectCode: "topic_not_found",
    },
    {
      name: "names: GET caf%C3%A9",
      method: "GET",
      path: `${api}/topics/caf%C3%A9`,
      expectStatus: 404,
      expectCode: "topic_not_found",
    },
    {
      name: "names: GET a%2Fb",
      method: "GET",
      path: `${api}/topics/a%2Fb`,
      expectStatus: 404,
      expectCode: "topic_not_found",
    },
    {
      name: "names: GET %25",
      method: "GET",
      path: `${api}/topics/%25`,
      expectStatus: 404,
      expectCode: "topic_not_found",
    },
    {
      name: "names: DELETE caf%C3%A9",
      method: "DELETE",
      path: `${api}/topics/caf%C3%A9`,
      expectStatus: 404,
      expectCode: "topic_not_found",
    },
    {
      name: "names: add partitions to %E2%9C%93",
      method: "POST",
      path: `${api}/topics/%E2%9C%93/partitions`,
      body: { count: 3 },
      expectStatus: 404,
      expectCode: "topic_not_found",
    },
    {
      name: "names: configs of a%2Fb",
      method: "PATCH",
      path: `${api}/topics/a%2Fb/configs`,
      body: { configs: { "retention.ms": 1 } },
      expectStatus: 404,
      expectCode: "topic_not_found",
    },
    badName("café", "café"),
    badName("✓", "✓"),

    // Config keys that are Object.prototype's own names.
    ...["constructor", "__proto__", "toString", "hasOwnProperty"].map(
      (key): Case => ({
        name: `configs: create with "${key}"`,
        method: "POST",
        path: `${api}/topics`,
        ...jsonText(`{"name":"${prefix}-proto","partitions":1,"replicationFactor":1,"configs":{"${key}":"1"}}`),
        expectStatus: 400,
        expectCode: "validation_failed",
      }),
    ),
    ...["constructor", "__proto__", "toString", "hasOwnProperty"].map(
      (key): Case => ({
        name: `configs: change "${key}"`,
        method: "PATCH",
        path: `${api}/topics/${t}/configs`,
        ...jsonText(`{"configs":{"${key}":"1"}}`),
        expectStatus: 400,
        expectCode: "validation_failed",
      }),
    ),
    {
      name: 'configs: reset "toString"',
      method: "PATCH",
      path: `${api}/topics/${t}/configs`,
      ...jsonText('{"configs":{"toString":null}}'),
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    {
      name: 'body: {"__proto__":{"partitions":1}}',
      method: "POST",
      path: `${api}/topics`,
      ...jsonText('{"__proto__":{"partitions":1}}'),
      expectStatus: 400,
      expectCode: "validation_failed",
    },

    // Brokers and clusters.
    {
      name: "brokers: stop 99, kill confirmed",
      method: "POST",
      path: `${api}/brokers/99/stop`,
      body: { mode: "kill", confirm: true },
      expectStatus: 404,
      expectCode: "broker_not_found",
    },
    {
      name: 'brokers: stop with mode "explode"',
      method: "POST",
      path: `${api}/brokers/1/stop`,
      body: { mode: "explode" },
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    {
      name: "brokers: stop -1",
      method: "POST",
      path: `${api}/brokers/-1/stop`,
      body: { mode: "graceful" },
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    {
      name: "clusters: brokers of cluster nope",
      method: "GET",
      path: "/api/clusters/nope/brokers",
      expectStatus: 404,
      expectCode: "cluster_not_found",
    },

    // Clusters: added at run time, tested, removed; a read-only cluster refuses every mutation.
    ...clusterCases(prefix, t),
    ...groupActionCases(topic, prefix),
    ...reassignmentCases(topic),
    ...labAndMetricsCases(),
    ...boundaryCases(),

    // Internal topics (last: on a server that lets them through they change the cluster for good).
    {
      name: "internal: config change on __consumer_offsets",
      method: "PATCH",
      path: `${api}/topics/__consumer_offsets/configs`,
      body: { configs: { "cleanup.policy": "delete" } },
      expectStatus: 409,
      expectCode: "internal_topic",
    },
    {
      name: "internal: add partitions to __consumer_offsets",
      method: "POST",
      path: `${api}/topics/__consumer_offsets/partitions`,
      body: { count: 100 },
      expectStatus: 409,
      expectCode: "internal_topic",
    },
    {
      name: "internal: drill on __consumer_offsets",
      method: "POST",
      path: `${api}/drills`,
      body: { topic: "__consumer_offsets", cycles: 1, downMs: 500 },
      expectStatus: 409,
      expectCode: "internal_topic",
      after: waitOutDrill,
    },
  ];
}

/** Bad cluster definitions, removals Quorum cannot make, and mutations of a read-only cluster. */
function clusterCases(prefix: string, t: string): Case[] {
  const id = `${prefix}-c`
    .slice(0, 41)
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-");
  const good = { id, bootstrap: ["127.0.0.1:1"] };
  const add = (name: string, body: object | string, expectStatus: number, expectCode: string, expectField?: string) =>
    ({
      name: `clusters: add, ${name}`,
      method: "POST",
      path: "/api/clusters",
      body,
      expectStatus,
      expectCode,
      expectField,
    }) as Case;
  const tryIt = (name: string, body: object, expectStatus: number, expectCode: string, expectField?: string) =>
    ({
      name: `clusters: test, ${name}`,
      method: "POST",
      path: "/api/clusters/test",
      body,
      expectStatus,
      expectCode,
      expectField,
    }) as Case;
  const ro = `/api/clusters/${CONFIG_FILE_CLUSTER}`;
  const readOnly = (name: string, method: Method, path: string, body?: object): Case => ({
    name: `read-only: ${name}`,
    method,
    path: `${ro}${path}`,
    body,
    expectStatus: 403,
    expectCode: "read_only",
  });
  return [
    { ...add("body not JSON", "", 400, "invalid_json"), ...jsonText('{"id":') },
    add("no id", { bootstrap: good.bootstrap }, 400, "validation_failed", "id"),
    add("id with capitals", { ...good, id: "Prod" }, 400, "validation_failed", "id"),
    add("id with a slash", { ...good, id: "a/b" }, 400, "validation_failed", "id"),
    add("id of 42 characters", { ...good, id: "x".repeat(42) }, 400, "validation_failed", "id"),
    add('id "local"', { ...good, id: "local" }, 400, "validation_failed", "id"),
    add('id "test"', { ...good, id: "test" }, 400, "validation_failed", "id"),
    add("id of the config file's cluster", { ...good, id: CONFIG_FILE_CLUSTER }, 409, "conflict", "id"),
    add("no bootstrap", { id }, 400, "validation_failed", "bootstrap"),
    add("empty bootstrap", { id, bootstrap: [] }, 400, "validation_failed", "bootstrap"),
    add("bootstrap a string", { id, bootstrap: "127.0.0.1:1" }, 400, "validation_failed", "bootstrap"),
    add("bootstrap without a port", { id, bootstrap: ["kafka"] }, 400, "validation_failed", "bootstrap.0"),
    add("bootstrap port 70000", { id, bootstrap: ["kafka:70000"] }, 400, "validation_failed", "bootstrap.0"),
    add("readOnly a string", { ...good, readOnly: "yes" }, 400, "validation_failed", "readOnly"),
    add("unknown field", { ...good, colour: "red" }, 400, "validation_failed"),
    add("TLS CA file missing", { ...good, tls: { ca: "/nonexistent/ca.pem" } }, 400, "validation_failed", "tls.ca"),
    {
      // A file the server can read but that is no certificate: refused, its contents never quoted.
      ...add(
        "TLS CA not a PEM certificate",
        { ...good, tls: { ca: "package.json" } },
        400,
        "validation_failed",
        "tls.ca",
      ),
      after: async (res) => {
        expect(res.body).toContain("is not a PEM certificate");
        expect(res.body).not.toContain("devDependencies");
      },
    },
    add("TLS CA a device", { ...good, tls: { ca: "/dev/zero" } }, 400, "validation_failed", "tls.ca"),
    add("TLS key without certificate", { ...good, tls: { key: "k.pem" } }, 400, "validation_failed", "tls.key"),
    add(
      "SASL password variable not set",
      { ...good, sasl: { mechanism: "PLAIN", username: "u", passwordEnv: "QUORUM_SECRET_E2E_UNSET" } },
      400,
      "validation_failed",
      "sasl.passwordEnv",
    ),
    add(
      "SASL password from a variable not named QUORUM_SECRET_",
      { ...good, sasl: { mechanism: "SCRAM-SHA-512", username: "u", passwordEnv: "PATH" } },
      400,
      "validation_failed",
      "sasl.passwordEnv",
    ),
    add(
      "SASL password inline",
      { ...good, sasl: { mechanism: "PLAIN", username: "u", password: "hunter2" } },
      400,
      "validation_failed",
      "sasl.password",
    ),
    add(
      "SASL mechanism GSSAPI",
      { ...good, sasl: { mechanism: "GSSAPI", username: "u", passwordEnv: "P" } },
      400,
      "validation_failed",
      "sasl.mechanism",
    ),
    {
      ...add("text/plain", JSON.stringify(good), 415, "unsupported_media_type"),
      headers: { "Content-Type": "text/plain" },
    },
    {
      ...add("cross-site", good, 403, "cross_origin"),
      headers: { ...jsonType, Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
    },
    {
      ...tryIt("text/plain", good, 415, "unsupported_media_type"),
      headers: { "Content-Type": "text/plain" },
    },
    {
      ...tryIt("cross-site", good, 403, "cross_origin"),
      headers: { ...jsonType, Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
    },
    tryIt("no bootstrap", { id }, 400, "validation_failed", "bootstrap"),
    tryIt('id "local"', { ...good, id: "local" }, 400, "validation_failed", "id"),
    tryIt(
      "SASL password from a variable not named QUORUM_SECRET_",
      { ...good, sasl: { mechanism: "PLAIN", username: "u", passwordEnv: "HOME" } },
      400,
      "validation_failed",
      "sasl.passwordEnv",
    ),
    tryIt("TLS CA a directory", { ...good, tls: { ca: "/" } }, 400, "validation_failed", "tls.ca"),
    {
      name: "clusters: test, GET",
      method: "GET",
      path: "/api/clusters/test",
      expectStatus: 405,
      expectCode: "method_not_allowed",
    },
    {
      name: "clusters: remove the config file's cluster",
      method: "DELETE",
      path: ro,
      expectStatus: 409,
      expectCode: "conflict",
    },
    {
      name: "clusters: remove local",
      method: "DELETE",
      path: "/api/clusters/local",
      expectStatus: 409,
      expectCode: "conflict",
    },
    {
      name: "clusters: remove nope",
      method: "DELETE",
      path: "/api/clusters/nope",
      expectStatus: 404,
      expectCode: "cluster_not_found",
    },
    readOnly("create topic", "POST", "/topics", { name: `${prefix}-ro`, partitions: 1, replicationFactor: 1 }),
    readOnly("create topic, bad body too", "POST", "/topics", { name: "a b" }),
    readOnly("delete topic", "DELETE", `/topics/${t}`),
    readOnly("add partitions", "POST", `/topics/${t}/partitions`, { count: 9 }),
    readOnly("alter configs", "PATCH", `/topics/${t}/configs`, { configs: { "retention.ms": 1 } }),
    readOnly("elect leaders", "POST", "/elect-leaders", {}),
    readOnly("stop broker", "POST", "/brokers/1/stop", { mode: "kill", confirm: true }),
    readOnly("start broker", "POST", "/brokers/1/start"),
    readOnly("add a broker", "POST", "/brokers", {}),
    readOnly("recreate the lab", "POST", "/lab", { brokers: 3, controllers: 3, confirm: true }),
    readOnly("abort a drill", "POST", "/drills/2026-11-26T05-00-00-000Z-abcd/abort", {}),
    readOnly("stop a controller", "POST", "/controllers/101/stop", { mode: "kill", confirm: true }),
    readOnly("start a controller", "POST", "/controllers/101/start"),
    readOnly("remove a broker", "DELETE", "/brokers/1"),
    readOnly("drill", "POST", "/drills", { topic: "orders" }),
    readOnly("workload", "POST", "/workload", { action: "start" }),
    readOnly("workload group", "POST", "/workload/groups/billing", { paused: true }),
    readOnly("lab consumers", "POST", "/labs/consumers", {
      action: "start",
      group: "lab-ro",
      topic: "lab-ro",
      count: 1,
    }),
    readOnly("lab reset", "POST", "/labs/reset", {}),
    readOnly("produce a message", "POST", `/topics/${t}/messages`, { value: "x" }),
    readOnly("reset offsets", "POST", "/consumer-groups/billing/reset-offsets", {
      topics: [{ topic: "orders" }],
      mode: "earliest",
      execute: true,
    }),
    readOnly("delete group", "DELETE", "/consumer-groups/billing"),
    readOnly("reassign", "POST", "/reassignments", { partitions: [{ topic: "orders", partition: 0, replicas: [1] }] }),
    readOnly("cancel a reassignment", "DELETE", "/reassignments/2026-11-26T05-00-00-000Z-abcd"),
    readOnly("delete group offsets", "DELETE", "/consumer-groups/billing/offsets/orders"),
    readOnly("delete records", "POST", "/topics/orders/delete-records", {
      partitions: [{ partition: 0, offset: 1 }],
      execute: true,
    }),
  ];
}

/**
 * The guided labs' consumers and the broker metrics history: bad input answers 400 and changes
 * nothing. A lab's consumers only ever read `lab-` topics in `lab-` groups: a start on anything else
 * (here the demo's "orders" and "billing") is refused before a consumer exists.
 */
function labAndMetricsCases(): Case[] {
  const start = { action: "start", group: "lab-contract", topic: "lab-contract", count: 1 };
  const consumers = (label: string, body: object, expectField?: string): Case => ({
    name: `lab consumers: ${label}`,
    method: "POST",
    path: `${api}/labs/consumers`,
    body,
    expectStatus: 400,
    expectCode: "validation_failed",
    ...(expectField ? { expectField } : {}),
  });
  const metrics = (label: string, query: string): Case => ({
    name: `broker metrics: ${label}`,
    method: "GET",
    path: `${api}/broker-metrics${query}`,
    expectStatus: 400,
    expectCode: "validation_failed",
    expectField: "minutes",
  });
  return [
    consumers("a group not named lab-", { ...start, group: "billing" }, "group"),
    consumers("a topic not named lab-", { ...start, topic: "orders" }, "topic"),
    consumers("five consumers", { ...start, count: 5 }, "count"),
    consumers("no consumer", { ...start, count: 0 }, "count"),
    consumers("count not a number", { ...start, count: "2" }, "count"),
    consumers("an action it does not know", { ...start, action: "pause" }, "action"),
    consumers("a key it does not know", { ...start, fromBeginning: true }),
    consumers("stop member 0", { action: "stop", group: "lab-contract", member: 0 }, "member"),
    consumers("stop in a group not named lab-", { action: "stop", group: "billing", member: 1 }, "group"),
    {
      name: "lab reset: a body with a key",
      method: "POST",
      path: `${api}/labs/reset`,
      body: { topics: ["orders"] },
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    metrics("minutes 0", "?minutes=0"),
    metrics("minutes over a day", "?minutes=1441"),
    metrics("minutes not a number", "?minutes=soon"),
  ];
}

/**
 * The boundary on the mutations of the operations lab: a cross-site request and a text/plain one
 * are refused before the route reads them. Each body is one the route would refuse or that would do
 * nothing harmful if the boundary let it through (a broker not up, no confirmation, a run or drill
 * not there), so a hole shows as a wrong status, not as a changed lab.
 */
function boundaryCases(): Case[] {
  const mutations: [string, Method, string, object][] = [
    ["reassign", "POST", `${api}/reassignments`, { partitions: [{ topic: "orders", partition: 0, replicas: [99] }] }],
    ["cancel a reassignment", "DELETE", `${api}/reassignments/nope`, {}],
    ["add a broker", "POST", `${api}/brokers`, { id: 9 }],
    ["remove a broker", "DELETE", `${api}/brokers/99`, {}],
    ["stop a controller", "POST", `${api}/controllers/101/stop`, { mode: "graceful" }],
    ["start a controller", "POST", `${api}/controllers/101/start`, {}],
    ["recreate the lab", "POST", `${api}/lab`, { brokers: 3, controllers: 3 }],
    ["abort a drill", "POST", `${api}/drills/nope/abort`, {}],
    ["stop a lab consumer", "POST", `${api}/labs/consumers`, { action: "stop", group: "lab-none", member: 1 }],
    ["reset the labs", "POST", `${api}/labs/reset`, {}],
  ];
  return mutations.flatMap(([what, method, path, body]): Case[] => [
    {
      name: `${what}: cross-site`,
      method,
      path,
      headers: { ...jsonType, Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
      body,
      expectStatus: 403,
      expectCode: "cross_origin",
    },
    {
      name: `${what}: text/plain`,
      method,
      path,
      headers: { "Content-Type": "text/plain" },
      body: JSON.stringify(body),
      expectStatus: 415,
      expectCode: "unsupported_media_type",
    },
  ]);
}

/** Reassignment plans and moves: bad input answers 4xx and moves nothing (the shape check after the table says so). */
function reassignmentCases(topic: string): Case[] {
  const plan = (name: string, query: string, expectStatus: number, expectCode: string, expectField?: string): Case => ({
    name: `reassign plan: ${name}`,
    method: "GET",
    path: `${api}/reassignments/plan${query}`,
    expectStatus,
    expectCode,
    expectField,
  });
  const move = (name: string, body: unknown, expectStatus: number, expectCode: string, expectField?: string): Case => ({
    name: `reassign: ${name}`,
    method: "POST",
    path: `${api}/reassignments`,
    body: body as object,
    expectStatus,
    expectCode,
    expectField,
  });
  const one = (replicas: unknown, extra: object = {}) => ({
    partitions: [{ topic, partition: 0, replicas }],
    ...extra,
  });
  return [
    plan("no goal", "", 400, "validation_failed", "goal"),
    plan("goal shuffle", "?goal=shuffle", 400, "validation_failed", "goal"),
    plan(
      "topic goal without brokers",
      `?goal=topic&topic=${encodeURIComponent(topic)}`,
      400,
      "validation_failed",
      "brokers",
    ),
    plan(
      "brokers not numbers",
      `?goal=topic&topic=${encodeURIComponent(topic)}&brokers=1,x`,
      400,
      "validation_failed",
      "brokers",
    ),
    plan(
      "brokers not up",
      `?goal=topic&topic=${encodeURIComponent(topic)}&brokers=1,99`,
      400,
      "validation_failed",
      "brokers",
    ),
    plan("a topic that is not there", "?goal=topic&topic=no-such-topic&brokers=1,2", 404, "topic_not_found"),
    plan("drain a broker that is not up", "?goal=drain&broker=99", 400, "validation_failed", "broker"),
    plan(
      "replication factor 0",
      `?goal=replication-factor&topic=${encodeURIComponent(topic)}&replicationFactor=0`,
      400,
      "validation_failed",
      "replicationFactor",
    ),
    plan(
      "replication factor above the brokers",
      `?goal=replication-factor&topic=${encodeURIComponent(topic)}&replicationFactor=9`,
      400,
      "validation_failed",
      "replicationFactor",
    ),
    plan("an unknown parameter", "?goal=balance&fast=true", 400, "validation_failed"),
    { ...move("body not JSON", "", 400, "invalid_json"), ...jsonText('{"partitions":') },
    move("no partitions", {}, 400, "validation_failed", "partitions"),
    move("empty partitions", { partitions: [] }, 400, "validation_failed", "partitions"),
    move("no replicas", one([]), 400, "validation_failed", "partitions.0.replicas"),
    move("a broker twice", one([1, 1]), 400, "validation_failed", "partitions.0.replicas"),
    move("a broker id not a number", one(["1"]), 400, "validation_failed", "partitions.0.replicas.0"),
    move("a broker not up", one([1, 99]), 400, "validation_failed", "partitions.0.replicas"),
    move(
      "a partition twice",
      { partitions: [one([1]).partitions[0], one([2]).partitions[0]] },
      400,
      "validation_failed",
      "partitions",
    ),
    move(
      "a partition not there",
      { partitions: [{ topic, partition: 99, replicas: [1] }] },
      400,
      "validation_failed",
      "partitions.0.partition",
    ),
    move(
      "a topic not there",
      { partitions: [{ topic: "no-such-topic", partition: 0, replicas: [1] }] },
      404,
      "topic_not_found",
    ),
    move(
      "a throttle below 1 KiB/s",
      one([1, 2], { throttleBytesPerSec: 10 }),
      400,
      "validation_failed",
      "throttleBytesPerSec",
    ),
    move("an unknown field", one([1, 2], { verify: true }), 400, "validation_failed"),
    {
      name: "lab: recreate without confirming",
      method: "POST",
      path: `${api}/lab`,
      body: { brokers: 3, controllers: 3 },
      expectStatus: 409,
      expectCode: "confirmation_required",
    },
    {
      name: "lab: two controllers",
      method: "POST",
      path: `${api}/lab`,
      body: { brokers: 3, controllers: 2, confirm: true },
      expectStatus: 400,
      expectCode: "validation_failed",
      expectField: "controllers",
    },
    {
      name: "lab: no broker",
      method: "POST",
      path: `${api}/lab`,
      body: { brokers: 0, controllers: 1, confirm: true },
      expectStatus: 400,
      expectCode: "validation_failed",
      expectField: "brokers",
    },
    {
      name: "lab: an unknown field",
      method: "POST",
      path: `${api}/lab`,
      body: { brokers: 3, controllers: 1, confirm: true, wipe: false },
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    {
      name: "drills: abort one that is not there",
      method: "POST",
      path: `${api}/drills/nope/abort`,
      body: {},
      expectStatus: 404,
      expectCode: "not_found",
    },
    {
      name: "drills: a rolling restart of kind chaos",
      method: "POST",
      path: `${api}/drills`,
      body: { topic, kind: "chaos" },
      expectStatus: 400,
      expectCode: "validation_failed",
      expectField: "kind",
    },
    {
      name: "controllers: stop the only one without confirming",
      method: "POST",
      path: `${api}/controllers/101/stop`,
      body: { mode: "graceful" },
      expectStatus: 409,
      expectCode: "confirmation_required",
    },
    {
      name: "controllers: stop one that is not there",
      method: "POST",
      path: `${api}/controllers/999/stop`,
      body: { mode: "graceful", confirm: true },
      expectStatus: 404,
      expectCode: "broker_not_found",
    },
    {
      name: "controllers: stop controller abc",
      method: "POST",
      path: `${api}/controllers/abc/stop`,
      body: { mode: "graceful" },
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    {
      name: "controllers: stop with mode pause",
      method: "POST",
      path: `${api}/controllers/101/stop`,
      body: { mode: "pause" },
      expectStatus: 400,
      expectCode: "validation_failed",
      expectField: "mode",
    },
    {
      name: "controllers: start one that runs",
      method: "POST",
      path: `${api}/controllers/101/start`,
      expectStatus: 409,
      expectCode: "conflict",
    },
    {
      name: "brokers: add one with an unknown field",
      method: "POST",
      path: `${api}/brokers`,
      body: { id: 9 },
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    {
      name: "brokers: remove one that is not there",
      method: "DELETE",
      path: `${api}/brokers/99`,
      expectStatus: 404,
      expectCode: "broker_not_found",
    },
    {
      name: "brokers: remove one that still holds replicas",
      method: "DELETE",
      path: `${api}/brokers/1`,
      expectStatus: 409,
      expectCode: "conflict",
    },
    {
      name: "brokers: remove broker abc",
      method: "DELETE",
      path: `${api}/brokers/abc`,
      expectStatus: 400,
      expectCode: "validation_failed",
    },
    {
      name: "reassign: a run that is not there",
      method: "GET",
      path: `${api}/reassignments/nope`,
      expectStatus: 404,
      expectCode: "not_found",
    },
    {
      name: "reassign: cancel a run that is not there",
      method: "DELETE",
      path: `${api}/reassignments/nope`,
      expectStatus: 404,
      expectCode: "not_found",
    },
  ];
}

/**
 * Consumer-group actions and delete-records: bad input answers 4xx and changes nothing. "billing"
 * is the demo workload's group, always consuming "orders": resets and deletion of it are refused.
 */
function groupActionCases(topic: string, prefix: string): Case[] {
  const t = encodeURIComponent(topic);
  const reset = (
    name: string,
    group: string,
    body: object,
    expectStatus: number,
    expectCode: string,
    expectField?: string,
  ) =>
    ({
      name: `reset offsets: ${name}`,
      method: "POST",
      path: `${api}/consumer-groups/${group}/reset-offsets`,
      body: { execute: true, ...body },
      expectStatus,
      expectCode,
      expectField,
    }) as Case;
  const ok = { topics: [{ topic }], mode: "earliest" };
  const records = (
    name: string,
    path: string,
    body: object,
    expectStatus: number,
    expectCode: string,
    expectField?: string,
  ) =>
    ({
      name: `delete records: ${name}`,
      method: "POST",
      path: `${api}/topics/${path}/delete-records`,
      body: { execute: true, ...body },
      expectStatus,
      expectCode,
      expectField,
    }) as Case;
  return [
    reset("unknown group", `${prefix}-no-group`, ok, 404, "group_not_found"),
    reset("unknown topic", "billing", { ...ok, topics: [{ topic: `${prefix}-missing` }] }, 404, "topic_not_found"),
    reset(
      "unknown partition",
      "billing",
      { ...ok, topics: [{ topic, partitions: [9] }] },
      400,
      "validation_failed",
      "topics.0.partitions",
    ),
    reset("negative partition", "billing", { ...ok, topics: [{ topic, partitions: [-1] }] }, 400, "validation_failed"),
    reset("offset below 0", "billing", { ...ok, mode: "offset", offset: -1 }, 400, "validation_failed", "offset"),
    reset("offset missing", "billing", { ...ok, mode: "offset" }, 400, "validation_failed", "offset"),
    reset(
      "unparseable timestamp",
      "billing",
      { ...ok, mode: "timestamp", timestamp: "yesterday" },
      400,
      "validation_failed",
    ),
    reset(
      "timestamp not a date",
      "billing",
      { ...ok, mode: "timestamp", timestamp: "2026-02-31T25:00:00Z" },
      400,
      "validation_failed",
    ),
    reset("shift not an integer", "billing", { ...ok, mode: "shift", shift: 1.5 }, 400, "validation_failed", "shift"),
    reset("shift a string", "billing", { ...ok, mode: "shift", shift: "-5" }, 400, "validation_failed", "shift"),
    reset("unknown mode", "billing", { ...ok, mode: "sideways" }, 400, "validation_failed", "mode"),
    reset("no topics", "billing", { topics: [], mode: "earliest" }, 400, "validation_failed", "topics"),
    reset("unknown field", "billing", { ...ok, force: true }, 400, "validation_failed"),
    reset("execute not a boolean", "billing", { ...ok, execute: "yes" }, 400, "validation_failed", "execute"),
    reset(
      "unknown source group",
      "billing",
      { ...ok, mode: "group", fromGroup: `${prefix}-nope` },
      404,
      "group_not_found",
    ),
    reset("a group with members", "billing", { topics: [{ topic: "orders" }], mode: "earliest" }, 409, "conflict"),
    {
      name: "reset offsets: body not JSON",
      method: "POST",
      path: `${api}/consumer-groups/billing/reset-offsets`,
      ...jsonText("{topics:"),
      expectStatus: 400,
      expectCode: "invalid_json",
    },
    {
      name: "reset offsets: GET",
      method: "GET",
      path: `${api}/consumer-groups/billing/reset-offsets`,
      expectStatus: 405,
      expectCode: "method_not_allowed",
    },
    {
      name: "delete group: unknown",
      method: "DELETE",
      path: `${api}/consumer-groups/${prefix}-no-group`,
      expectStatus: 404,
      expectCode: "group_not_found",
    },
    {
      name: "delete group: with members",
      method: "DELETE",
      path: `${api}/consumer-groups/billing`,
      expectStatus: 409,
      expectCode: "conflict",
    },
    {
      name: "delete group offsets: unknown group",
      method: "DELETE",
      path: `${api}/consumer-groups/${prefix}-no-group/offsets/${t}`,
      expectStatus: 404,
      expectCode: "group_not_found",
    },
    {
      name: "delete group offsets: unknown topic",
      method: "DELETE",
      path: `${api}/consumer-groups/billing/offsets/${prefix}-missing`,
      expectStatus: 404,
      expectCode: "topic_not_found",
    },
    {
      name: "delete group offsets: bad partitions",
      method: "DELETE",
      path: `${api}/consumer-groups/billing/offsets/orders?partitions=0,x`,
      expectStatus: 400,
      expectCode: "validation_failed",
      expectField: "partitions",
    },
    {
      name: "delete group offsets: of a topic its members consume",
      method: "DELETE",
      path: `${api}/consumer-groups/billing/offsets/orders`,
      expectStatus: 409,
      expectCode: "conflict",
    },
    records(
      "unknown topic",
      `${prefix}-missing`,
      { partitions: [{ partition: 0, offset: 0 }] },
      404,
      "topic_not_found",
    ),
    records(
      "internal topic",
      "__consumer_offsets",
      { partitions: [{ partition: 0, offset: 0 }] },
      409,
      "internal_topic",
    ),
    records(
      "offset below 0",
      t,
      { partitions: [{ partition: 0, offset: -1 }] },
      400,
      "validation_failed",
      "partitions.0.offset",
    ),
    records("unknown partition", t, { partitions: [{ partition: 7, offset: 0 }] }, 400, "validation_failed"),
    records(
      "offset past the log end",
      t,
      { partitions: [{ partition: 0, offset: 1_000_000 }] },
      400,
      "validation_failed",
      "partitions.0.offset",
    ),
    records("no partitions", t, { partitions: [] }, 400, "validation_failed", "partitions"),
    // The boundary in front of these routes: another site, or a body that is not JSON, never
    // reaches them (each would change something if it did: a valid body, an empty group's delete).
    ...(
      [
        ["reset offsets", "POST", `${api}/consumer-groups/${prefix}-empty/reset-offsets`, { ...ok, execute: true }],
        ["delete records", "POST", `${api}/topics/${t}/delete-records`, { partitions: [{ partition: 0, offset: 0 }] }],
        ["produce", "POST", `${api}/topics/${t}/messages`, { value: "cross-site" }],
      ] as const
    ).flatMap(([what, method, path, body]): Case[] => [
      {
        name: `boundary: ${what}, cross-site`,
        method,
        path,
        headers: { ...jsonType, Origin: "http://evil.example", "Sec-Fetch-Site": "cross-site" },
        body,
        expectStatus: 403,
        expectCode: "cross_origin",
      },
      {
        name: `boundary: ${what}, text/plain`,
        method,
        path,
        headers: { "Content-Type": "text/plain" },
        body: JSON.stringify(body),
        expectStatus: 415,
        expectCode: "unsupported_media_type",
      },
    ]),
    ...(
      [
        ["delete group", `${api}/consumer-groups/${prefix}-empty`],
        ["delete group offsets", `${api}/consumer-groups/${prefix}-empty/offsets/${t}`],
      ] as const
    ).map(
      ([what, path]): Case => ({
        name: `boundary: ${what}, cross-site`,
        method: "DELETE",
        path,
        headers: { Origin: "http://evil.example", "Sec-Fetch-Site": "cross-site" },
        expectStatus: 403,
        expectCode: "cross_origin",
      }),
    ),
  ];
}

/** A drill that should have been refused but started: wait for it to end so the next checks see a whole cluster. */
async function waitOutDrill(res: RawResponse): Promise<void> {
  if (res.status !== 202) return;
  const id = (JSON.parse(res.body) as { id: string }).id;
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const r = await fetch(`${baseURL()}${api}/drills/${encodeURIComponent(id)}`);
    const status = r.ok ? ((await r.json()) as { status: string }).status : "gone";
    if (status !== "running" && status !== "verifying") break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  await waitAllBrokersUp();
}

async function waitAllBrokersUp(): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const r = await fetch(`${baseURL()}${api}/brokers`);
    if (r.ok && ((await r.json()) as { status: string }[]).every((b) => b.status === "up")) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** What is wrong with an answer, one sentence each; empty when it is the expected error. */
function checkAnswer(c: Case, res: RawResponse): string[] {
  const problems: string[] = [];
  const shown = `${res.status} ${res.stream ? "(event stream)" : res.body.slice(0, 160)}`;
  if (res.status >= 500) problems.push(`a 5xx: ${shown}`);
  if (res.status !== c.expectStatus) problems.push(`status ${res.status}, expected ${c.expectStatus}: ${shown}`);
  if (c.page) return problems;
  const type = String(res.headers["content-type"] ?? "");
  if (!/^application\/json\b/.test(type)) problems.push(`content-type "${type}", expected application/json`);
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    problems.push(`body is not JSON: ${shown}`);
    return problems;
  }
  const error = (body as { error?: unknown } | null)?.error as Record<string, unknown> | undefined;
  if (typeof body !== "object" || body === null || Object.keys(body).join() !== "error" || !error) {
    problems.push(`body is not {"error":{…}}: ${shown}`);
    return problems;
  }
  if (error.code !== c.expectCode) problems.push(`code ${JSON.stringify(error.code)}, expected "${c.expectCode}"`);
  if (typeof error.message !== "string" || error.message.trim() === "") problems.push("no message");
  if (c.expectField !== undefined && error.field !== c.expectField) {
    problems.push(`field ${JSON.stringify(error.field)}, expected "${c.expectField}"`);
  }
  return problems;
}

function send(c: Case): Promise<RawResponse> {
  const headers = { ...c.headers };
  let body: string | Buffer | undefined;
  if (typeof c.body === "string" || Buffer.isBuffer(c.body)) body = c.body;
  else if (c.body !== undefined) {
    body = JSON.stringify(c.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
      headers["Content-Type"] = "application/json";
  }
  return rawRequest(baseURL(), {
    method: c.method,
    path: c.path,
    headers,
    body,
    chunkSize: c.chunked ? 64 * 1024 : undefined,
  });
}

test.describe("API contract of the production server", () => {
  test.skip(!hasKcat, "kcat reads the cluster as an independent client");
  test.describe.configure({ timeout: 900_000 });

  const prefix = uniqueName("contract");
  const topic = `${prefix}.target`;
  let ctx: Ctx;
  let bootstrap: string[];
  let baseline: ClusterShape;
  let configsBefore: Record<string, Record<string, string>>;
  let began = 0;
  let tableMs = 0;
  let caseCount = 0;
  let failedCount = 0;

  test.beforeAll(async () => {
    began = Date.now();
    const url = new URL(baseURL());
    ctx = { port: Number(url.port), origin: url.origin, topic, prefix };
    bootstrap = ((await (await fetch(`${url.origin}${api}`)).json()) as { bootstrap: string[] }).bootstrap;

    // The suite's own topic, made as the console's page makes it: same-origin JSON.
    const created = await rawRequest(url.origin, {
      method: "POST",
      path: `${api}/topics`,
      headers: { ...jsonType, Origin: url.origin, "Sec-Fetch-Site": "same-origin" },
      body: JSON.stringify({ name: topic, partitions: 2, replicationFactor: 2 }),
    });
    expect(created.status, created.body).toBe(201);

    // A first group commit makes Kafka create __consumer_offsets (the demo workload may be off).
    const admin = (await labKafka()).admin();
    await admin.connect();
    try {
      await admin.setOffsets({ groupId: `${prefix}-g`, topic, partitions: [{ partition: 0, offset: "0" }] });
    } finally {
      await admin.disconnect();
    }

    baseline = await stableClusterShape(bootstrap, 60_000);
    expect(baseline.topics[topic]).toHaveLength(2);
    expect(baseline.topics.__consumer_offsets?.length).toBeGreaterThan(0);
    expect(baseline.brokers.length).toBeGreaterThan(0);
    configsBefore = await kafkaTopicConfigs(bootstrap, [topic, "__consumer_offsets"]);
    expect(Object.keys(configsBefore[topic] ?? {}).length).toBeGreaterThan(10);
    expect(configsBefore.__consumer_offsets?.["cleanup.policy"]).toBe("compact");
  });

  test.afterAll(async () => {
    // The suite's topic, and whatever a wrongly accepted request created.
    const origin = baseURL();
    const leftovers = bootstrap ? Object.keys(clusterShape(bootstrap).topics).filter((n) => n.startsWith(prefix)) : [];
    for (const name of leftovers) {
      await rawRequest(origin, {
        method: "DELETE",
        path: `${api}/topics/${encodeURIComponent(name)}`,
        headers: { Origin: origin },
      }).catch(() => undefined);
    }
    console.log(
      `contract: ${caseCount} cases, ${caseCount - failedCount} as specified, ${failedCount} not; ` +
        `table ${(tableMs / 1000).toFixed(1)} s, suite with setup and cleanup ${((Date.now() - began) / 1000).toFixed(1)} s`,
    );
  });

  test("every bad request answers its 4xx JSON error and changes nothing", async () => {
    const table = cases(ctx);
    caseCount = table.length;
    expect(table.length).toBeGreaterThanOrEqual(60);
    expect(new Set(table.map((c) => c.name)).size, "case names are unique").toBe(table.length);

    const failures: string[] = [];
    const tableStart = Date.now();
    let previous = baseline;
    for (const c of table) {
      let problems: string[];
      let res: RawResponse | null = null;
      try {
        res = await send(c);
        problems = checkAnswer(c, res);
      } catch (err) {
        problems = [`no answer: ${err instanceof Error ? err.message : String(err)}`];
      }
      if (c.method !== "GET") {
        // Compared with the state just before this request, so a change is pinned on the row that made it.
        const now = clusterShape(bootstrap);
        for (const change of shapeChanges(previous, now)) problems.push(`changed the cluster: ${change}`);
        previous = now;
      }
      if (res && c.after) {
        await c.after(res);
        previous = await stableClusterShape(bootstrap);
      }
      if (problems.length > 0) failures.push(`${c.method} ${c.path.slice(0, 80)} — ${c.name}: ${problems.join("; ")}`);
    }
    tableMs = Date.now() - tableStart;
    failedCount = failures.length;

    const finalShape = await stableClusterShape(bootstrap);
    // No produce row got a message through: the suite's topic is still empty (kcat reads it).
    const written = execFileSync(
      "kcat",
      ["-b", bootstrap.join(","), "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%p %o\\n"],
      { encoding: "utf8", timeout: 30_000 },
    );
    const configsAfter = await kafkaTopicConfigs(bootstrap, [topic, "__consumer_offsets"]);
    const overall = shapeChanges(baseline, finalShape).map((c) => `after the table: ${c}`);
    if (written.trim() !== "")
      overall.push(`after the table: ${topic} holds messages: ${written.trim().slice(0, 200)}`);
    for (const name of [topic, "__consumer_offsets"]) {
      const before = configsBefore[name] ?? {};
      const after = configsAfter[name] ?? {};
      for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
        if (before[key] !== after[key]) overall.push(`after the table: ${name} ${key} ${before[key]} → ${after[key]}`);
      }
    }

    if (failures.length + overall.length > 0) {
      console.log(`contract: ${failures.length} of ${table.length} cases not as specified:\n${failures.join("\n")}`);
      if (overall.length) console.log(overall.join("\n"));
    }
    expect(failures, `${failures.length} of ${table.length} cases not as specified`).toEqual([]);
    expect(overall, "the cluster after the whole table").toEqual([]);
  });
});
