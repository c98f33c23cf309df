// What a failure says, in the words it was thrown with: the node page shows them as they are.

export const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
