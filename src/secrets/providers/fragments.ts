// Regex building blocks shared by the provider pattern files.

/** Not preceded / followed by a character that would make the token longer. */
export const L = "(?<![A-Za-z0-9_])";
export const R = "(?![A-Za-z0-9_])";
/** The same, where tokens may also contain `-`. */
export const LD = "(?<![A-Za-z0-9_-])";
export const RD = "(?![A-Za-z0-9_-])";
/** A lower-case UUID. */
export const UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
