// Placeholder, replaced below.
export function initCheckBlocks(): void {}
