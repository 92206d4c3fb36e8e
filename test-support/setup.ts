// Shared by every test project (vitest.workspace.ts).
export {};
