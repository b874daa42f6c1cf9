// Placeholder, replaced below.
export function initYamlBlocks(): void {}
