import type { ProviderPattern } from "../types.js";

export const servicePatterns: ProviderPattern[] = [];
