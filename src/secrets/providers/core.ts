import type { ProviderPattern } from "../types.js";

export const corePatterns: ProviderPattern[] = [];
