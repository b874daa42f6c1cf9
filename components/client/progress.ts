// Placeholder, replaced below.
export function initStartHere(): void {}
