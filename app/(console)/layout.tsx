import type { ReactNode } from "react";
import { AppHeader } from "@/components/app-header";
import { pageIdentity } from "@/server/auth/pages";

/** The console's pages: with sign-in on, only for a good session; anyone else is sent to sign in. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  await pageIdentity();
  return (
    <>
      <AppHeader />
      <main className="mx-auto max-w-7xl px-6 py-6">{children}</main>
    </>
  );
}
