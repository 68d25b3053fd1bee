import type { ProviderPattern } from "../types.js";

export const platformPatterns: ProviderPattern[] = [];
