// How a credential sits in the files people commit: one renderer per file kind. Each returns the
// file path, its content and the 1-based line the value starts on.
export interface Placed {
  path: string;
  content: string;
  line: number;
}

export type Context = (env: string, value: string) => Placed;

const lowerSnake = (env: string): string => env.toLowerCase();
const camel = (env: string): string => env.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
const pascal = (env: string): string => camel(env).replace(/^./, (c) => c.toUpperCase());
const kebab = (env: string): string => env.toLowerCase().replace(/_/g, "-");
const first = (env: string): string => env.split("_")[0]!.toLowerCase();

const at = (path: string, lines: string[], marker: string): Placed => {
  const line = lines.findIndex((l) => l.includes(marker)) + 1;
  if (line === 0) throw new Error(`marker not found in ${path}`);
  return { path, content: lines.join("\n") + "\n", line };
};

export const CONTEXTS: Record<string, Context> = {
  env: (e, v) => at(".env", ["# service credentials", "NODE_ENV=production", `${e}=${v}`, "PORT=8080"], v),
  envQuoted: (e, v) => at("deploy/.env.production", ["APP_NAME=shop", `${e}="${v}"`], v),
  yaml: (e, v) => at("config/settings.yml", ["production:", `  ${first(e)}:`, `    ${lowerSnake(e)}: ${v}`, "    timeout: 30"], v),
  yamlQuoted: (e, v) => at("helm/values.yaml", ["env:", `  ${e}: "${v}"`, "  LOG_LEVEL: info"], v),
  json: (e, v) => at("config/production.json", ["{", `  "${first(e)}": {`, `    "${camel(e)}": "${v}",`, '    "retries": 3', "  }", "}"], v),
  js: (e, v) => at("src/lib/client.js", ["import { Client } from './client-base.js';", "", `const ${camel(e)} = "${v}";`, `export const client = new Client(${camel(e)});`], v),
  ts: (e, v) => at("src/config.ts", ["export const config = {", "  region: 'eu-west-1',", `  ${camel(e)}: '${v}',`, "};"], v),
  python: (e, v) => at("app/settings.py", ["import os", "", `${e} = "${v}"`, "DEBUG = False"], v),
  pythonCall: (e, v) => at("scripts/sync.py", ["from vendor import Client", "", `client = Client(${lowerSnake(e)}='${v}')`], v),
  go: (e, v) => at("cmd/server/main.go", ["package main", "", "func main() {", `\t${camel(e)} := "${v}"`, `\trun(${camel(e)})`, "}"], v),
  ruby: (e, v) => at("config/initializers/vendor.rb", ["Vendor.configure do |c|", `  c.${lowerSnake(e)} = '${v}'`, "end"], v),
  java: (e, v) => at("src/main/java/com/acme/Config.java", ["public final class Config {", `    private static final String ${e} = "${v}";`, "}"], v),
  csharp: (e, v) => at("Services/Settings.cs", ["public static class Settings", "{", `    public const string ${pascal(e)} = "${v}";`, "}"], v),
  php: (e, v) => at("config/services.php", ["<?php", "return [", `    '${lowerSnake(e)}' => '${v}',`, "];"], v),
  shell: (e, v) => at("scripts/deploy.sh", ["#!/usr/bin/env bash", "set -euo pipefail", `export ${e}='${v}'`, "./bin/release"], v),
  dockerfile: (e, v) => at("Dockerfile", ["FROM node:20-alpine", "WORKDIR /app", `ENV ${e}=${v}`, 'CMD ["node", "server.js"]'], v),
  compose: (e, v) => at("docker-compose.yml", ["services:", "  web:", "    image: acme/web", "    environment:", `      - ${e}=${v}`], v),
  markdown: (e, v) => at("docs/SETUP.md", ["## Configure", "", "```bash", `export ${e}=${v}`, "```"], v),
  toml: (e, v) => at("config.toml", [`[${first(e)}]`, `${lowerSnake(e)} = "${v}"`], v),
  ini: (e, v) => at("setup.cfg", [`[${first(e)}]`, `${lowerSnake(e)} = ${v}`], v),
  properties: (e, v) => at("src/main/resources/application.properties", ["server.port=8080", `${lowerSnake(e).replace(/_/g, ".")}=${v}`], v),
  xml: (e, v) => at("App.config", ["<configuration>", "  <appSettings>", `    <add key="${pascal(e)}" value="${v}" />`, "  </appSettings>", "</configuration>"], v),
  tfvars: (e, v) => at("infra/terraform.tfvars", ['region = "us-east-1"', `${lowerSnake(e)} = "${v}"`], v),
  githubActions: (e, v) => at(".github/workflows/ci.yml", ["jobs:", "  build:", "    runs-on: ubuntu-latest", "    env:", `      ${e}: ${v}`], v),
  k8sEnv: (e, v) => at("k8s/deployment.yaml", ["        env:", `          - name: ${e}`, `            value: "${v}"`], v),
  cliFlag: (e, v) => at("Makefile", ["deploy:", `\tvendor-cli login --${kebab(e)} ${v}`], v),
};

/** Contexts where a bare token value (a known prefix, no telling name) is expected to be found. */
export const NEUTRAL: Record<string, (v: string) => Placed> = {
  curlBearer: (v) => at("scripts/smoke.sh", ["#!/bin/sh", `curl -s -H "Authorization: Bearer ${v}" https://api.acme-corp.io/v1/me`], v),
  jsHeaders: (v) => at("src/api.ts", ["const res = await fetch(url, {", `  headers: { Authorization: \`Bearer ${v}\` },`, "});"], v),
  pythonHeaders: (v) => at("tools/report.py", ["import requests", `headers = {"Authorization": "Bearer ${v}"}`, "r = requests.get(URL, headers=headers)"], v),
  value: (v) => at("config/integrations.yml", ["integrations:", "  - kind: upstream", `    value: ${v}`], v),
  arg: (v) => at("src/main.py", ["from vendor import Client", `client = Client("${v}")`], v),
};
