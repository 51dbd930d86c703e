#!/usr/bin/env node
// `npm run hash-password`: reads a password (typed without echo, or piped on stdin) and prints its
// Argon2id hash for a user's `passwordHash` in the config file's `auth.users`. The password itself
// is never printed, logged or stored.
import { hash } from "@node-rs/argon2";

const MIN_LENGTH = 12;

async function readPassword() {
  const input = process.stdin;
  if (!input.isTTY) {
    let text = "";
    for await (const chunk of input) text += chunk;
    return text.replace(/\r?\n$/, "");
  }
  process.stderr.write("Password (not shown): ");
  input.setRawMode(true);
  input.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let typed = "";
    const onData = (chars) => {
      for (const c of chars) {
        if (c === "\r" || c === "\n") {
          input.setRawMode(false);
          input.off("data", onData);
          input.pause();
          process.stderr.write("\n");
          resolve(typed);
          return;
        }
        if (c === "\u0003") {
          input.setRawMode(false);
          reject(new Error("cancelled"));
          return;
        }
        if (c === "\u007f") typed = typed.slice(0, -1);
        else typed += c;
      }
    };
    input.on("data", onData);
  });
}

try {
  const password = await readPassword();
  if ([...password].length < MIN_LENGTH) {
    console.error(`[quorum] a password has at least ${MIN_LENGTH} characters; nothing was printed`);
    process.exit(2);
  }
  // The library's defaults: Argon2id, 19 MiB, 2 passes, 1 lane (OWASP's first recommendation).
  console.log(await hash(password));
} catch (err) {
  console.error(`[quorum] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
