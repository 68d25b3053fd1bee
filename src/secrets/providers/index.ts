// Every provider pattern, gathered from one file per family of providers.
import type { ProviderPattern } from "../types.js";
import { corePatterns } from "./core.js";
import { credentialPatterns } from "./credentials.js";
import { platformPatterns } from "./platforms.js";
import { servicePatterns } from "./services.js";

export const PROVIDER_PATTERNS: readonly ProviderPattern[] = [...corePatterns, ...credentialPatterns, ...platformPatterns, ...servicePatterns];
