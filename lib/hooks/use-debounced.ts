"use client";
import { useEffect, useState } from "react";

/** `value`, once it has stayed the same for `ms`: typing asks the server once per pause, not per key. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The pause a list's search box waits for more typing before asking the server: short, since a
 * search answer is a filter over one snapshot's sorted rows (milliseconds even at 40,000 topics).
 */
export const SEARCH_DEBOUNCE_MS = 50;
