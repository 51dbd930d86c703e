import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { NameScope } from "../clusters/list-pages";
import { getQuorum } from "../quorum";
import { allows, grantsOf, type Identity, type Target } from "./access";
import { listScope, visibleClusters } from "./guard";
import { policyFor } from "./policy";

/**
 * Who the page's request is: null with sign-in off; with it on, a request without a good session
 * is sent to sign in. Each page that renders data on the server asks for itself: a layout is not
 * rendered again for a client-side navigation, nor for a request of one segment's payload alone.
 */
export async function pageIdentity(): Promise<Identity | null> {
  const auth = getQuorum().auth;
  if (!auth) return null;
  const who = await auth.identify((await headers()).get("cookie"));
  if (!who) redirect("/sign-in");
  return who;
}

/** Whether the page's user may read what the API route `pattern` serves on `target` (always, with sign-in off). */
export async function pageMayRead(pattern: string, target: Target): Promise<boolean> {
  const auth = getQuorum().auth;
  if (!auth) return true;
  const who = await pageIdentity();
  const policy = policyFor(pattern, "GET");
  return who !== null && policy !== null && allows(grantsOf(who, auth.config), policy, target);
}

/** The clusters the page's user holds a role on, in Quorum's order (all of them, with sign-in off). */
export async function pageClusters(): Promise<string[]> {
  return [...visibleClusters(await pageIdentity())];
}

/** What of the topic or group list the page's user may see (see `listScope`). */
export async function pageListScope(cluster: string, kind: "topic" | "group"): Promise<NameScope | undefined> {
  return listScope(await pageIdentity(), cluster, kind);
}
