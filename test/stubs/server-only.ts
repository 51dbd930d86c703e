// Tests run server modules directly in Node, outside the React Server build that makes the real
// `server-only` marker a no-op.
export {};
