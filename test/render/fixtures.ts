// Hand-made analysis results for the renderer tests: every kind of finding a renderer must handle.
import type { AnalysisResult } from "../../src/analysis/types.js";
import type { Finding } from "../../src/findings.js";

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: "js-eval-dynamic",
    category: "code-injection",
    severity: "high",
    path: "src/app.js",
    line: 12,
    endLine: 12,
    column: 3,
    endColumn: 18,
    title: "eval of a dynamic string",
    message: "`eval` runs its argument as code.",
    fix: "Do not evaluate strings.",
    cwe: "CWE-95",
    fingerprint: "0123456789abcdef0123456789abcdef",
    suppressed: false,
    snippet: "eval(userInput);",
    ...overrides,
  };
}

export function sampleResult(): AnalysisResult {
  return {
    findings: [
      finding(),
      finding({
        ruleId: "py-sql-dynamic-string",
        category: "sql-injection",
        severity: "critical",
        path: "api/db queries.py",
        line: 40,
        endLine: 42,
        column: 5,
        endColumn: 2,
        title: "SQL built from input",
        message: "The query is built from request data. Untrusted data flows from line 31 to line 40.",
        fix: "Use parameters.",
        cwe: "CWE-89",
        fingerprint: "fedcba9876543210fedcba9876543210",
        snippet: "cursor.execute(f\"SELECT * FROM t WHERE id = {uid}\")",
        trace: [
          { line: 31, code: "uid = request.args['id']" },
          { line: 35, code: "q = uid" },
          { line: 40, code: "cursor.execute(f\"SELECT * FROM t WHERE id = {q}\")" },
        ],
      }),
      finding({ line: 20, endLine: 20, suppressed: true, fingerprint: "11111111111111111111111111111111" }),
      finding({
        ruleId: "secrets/github-pat",
        category: "secrets",
        severity: "medium",
        path: "config/.env",
        line: 1,
        endLine: 1,
        column: 14,
        endColumn: 54,
        title: "GitHub personal access token",
        message: "A GitHub token is committed (fingerprint 1a2b3c).",
        fix: "Revoke the token and load it from the environment.",
        cwe: "CWE-798",
        fingerprint: "22222222222222222222222222222222",
        snippet: "GITHUB_TOKEN=ghp_****",
        links: ["https://github.com/settings/tokens"],
      }),
      finding({ ruleId: "js-weak-thing", category: "weak-crypto", severity: "low", cwe: "", path: "src/app.js", line: 3, endLine: 3, fingerprint: "33333333333333333333333333333333" }),
    ],
    skipped: [
      { path: "node_modules/", reason: "vendored: installed dependencies, folder not scanned" },
      { path: "dist/app.min.js", reason: "minified" },
    ],
    analyzed: ["src/app.js", "api/db queries.py", "config/.env"],
    checked: new Set(["secrets", "code-injection", "sql-injection", "weak-crypto", "tls"]),
  };
}
