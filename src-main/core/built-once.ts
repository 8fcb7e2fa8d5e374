/**
 * A value built on first use and kept. For zod schemas: building zod 4 schemas costs tens of microseconds each,
 * and building every one of them at start made each command and shell start ~20 ms slower.
 */
export function builtOnce<T>(build: () => T): () => T {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      value = build();
      done = true;
    }
    return value as T;
  };
}
