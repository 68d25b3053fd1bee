import { describe, expect, it } from "vitest";
import { addedLinesFromPatch, linesFromPatch, parseUnifiedDiff } from "../../src/diff/index.js";

const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);

describe("addedLinesFromPatch (GitHub per-file patch)", () => {
  it("counts added lines in the new file, skipping removed and context lines", () => {
    const patch = ["@@ -1,4 +1,5 @@", " a", "-b", "+B", "+C", " d", " e", "@@ -20,3 +21,4 @@", " x", "+y", " z", " w"].join("\n");
    expect(sorted(addedLinesFromPatch(patch))).toEqual([2, 3, 22]);
  });

  it("accepts hunk headers that omit the line count", () => {
    expect(sorted(addedLinesFromPatch("@@ -1 +1 @@\n-old\n+new"))).toEqual([1]);
    expect(sorted(addedLinesFromPatch("@@ -0,0 +1 @@\n+only line"))).toEqual([1]);
  });

  it("ignores '\\ No newline at end of file' markers", () => {
    const patch = "@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n\\ No newline at end of file";
    expect(sorted(addedLinesFromPatch(patch))).toEqual([2, 3]);
  });

  it("handles CRLF content", () => {
    const patch = "@@ -1,2 +1,3 @@\r\n a\r\n+b\r\n c\r\n";
    expect(sorted(addedLinesFromPatch(patch))).toEqual([2]);
  });

  it("treats a missing or empty patch as no added lines", () => {
    expect(addedLinesFromPatch(undefined).size).toBe(0);
    expect(addedLinesFromPatch("").size).toBe(0);
  });

  it("marks context and added lines as commentable, removed lines not", () => {
    const { commentable } = linesFromPatch("@@ -5,3 +5,3 @@\n a\n-b\n+c\n d");
    expect(sorted(commentable)).toEqual([5, 6, 7]);
  });
});

describe("parseUnifiedDiff (git diff output)", () => {
  const gitDiff = [
    "diff --git a/src/old.js b/src/new.js",
    "similarity index 90%",
    "rename from src/old.js",
    "rename to src/new.js",
    "index 1111111..2222222 100644",
    "--- a/src/old.js",
    "+++ b/src/new.js",
    "@@ -1,2 +1,3 @@",
    " keep",
    "+added",
    " keep2",
    "diff --git a/logo.png b/logo.png",
    "new file mode 100644",
    "index 0000000..3333333",
    "Binary files /dev/null and b/logo.png differ",
    "diff --git a/gone.py b/gone.py",
    "deleted file mode 100644",
    "index 4444444..0000000",
    "--- a/gone.py",
    "+++ /dev/null",
    "@@ -1,2 +0,0 @@",
    "-x = 1",
    "-y = 2",
    "diff --git a/fresh.py b/fresh.py",
    "new file mode 100644",
    "index 0000000..5555555",
    "--- /dev/null",
    "+++ b/fresh.py",
    "@@ -0,0 +1,2 @@",
    "+import os",
    "+os.system(cmd)",
    "diff --git a/same.js b/moved.js",
    "similarity index 100%",
    "rename from same.js",
    "rename to moved.js",
    "",
  ].join("\n");

  const files = parseUnifiedDiff(gitDiff);
  const byPath = new Map(files.map((f) => [f.path, f]));

  it("follows renames to the new path and keeps the old one", () => {
    const renamed = byPath.get("src/new.js")!;
    expect(renamed.status).toBe("renamed");
    expect(renamed.oldPath).toBe("src/old.js");
    expect(sorted(renamed.added)).toEqual([2]);
  });

  it("reports binary files with no lines", () => {
    expect(byPath.get("logo.png")).toMatchObject({ status: "binary" });
    expect(byPath.get("logo.png")!.added.size).toBe(0);
  });

  it("reports deleted files with no added lines", () => {
    expect(byPath.get("gone.py")).toMatchObject({ status: "deleted" });
    expect(byPath.get("gone.py")!.added.size).toBe(0);
  });

  it("treats every line of a new file as added", () => {
    expect(byPath.get("fresh.py")!.status).toBe("added");
    expect(sorted(byPath.get("fresh.py")!.added)).toEqual([1, 2]);
  });

  it("keeps a pure rename with no hunks and no added lines", () => {
    expect(byPath.get("moved.js")).toMatchObject({ status: "renamed", oldPath: "same.js" });
    expect(byPath.get("moved.js")!.added.size).toBe(0);
  });

  it("returns nothing for an empty diff", () => {
    expect(parseUnifiedDiff("")).toEqual([]);
  });
});
