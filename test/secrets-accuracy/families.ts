// Credentials that are not a provider token: passwords in URLs and connection strings, HTTP
// credentials in commands and code, registry and deployment files, private keys, JWTs, crypto
// keys and generic secrets. Shapes follow each tool's own documentation (libpq/JDBC/ODBC
// connection string syntax, curl/wget manuals, the npm/pip/NuGet/Maven/Docker/Bundler/Composer
// config references, Kubernetes Secret and Terraform state formats, RFC 7519, RFC 7468, OpenSSH
// PROTOCOL.key, PuTTY's key file format, RFC 4880).
import { b64, b64url, type Rng } from "./rng.js";
import type { Placed } from "./contexts.js";

export interface FamilyCase {
  service: string;
  family: string;
  make: (r: Rng) => Placed;
}

const at = (path: string, lines: string[], marker: string): Placed => {
  const line = lines.findIndex((l) => l.includes(marker)) + 1;
  if (line === 0) throw new Error(`marker not found in ${path}: ${marker}`);
  return { path, content: lines.join("\n") + "\n", line };
};

/** A password as people generate them: letters, digits and a few URL-safe symbols. */
export const password = (r: Rng): string => r.fmt("{a:6}") + r.pick(["!", "-", "_", "*", "9", "."]) + r.fmt("{a:9}") + r.pick(["2", "7", "!", "Q"]);
const tokenB = (r: Rng): string => r.fmt("{a:40}");
const jwt = (r: Rng, payload: object = { sub: r.uuid(), iss: "https://auth.acme-corp.io/", iat: 1718000000 + (r.u32() % 9999999), exp: 1818000000 }, alg = "HS256"): string =>
  `${b64url(JSON.stringify({ alg, typ: "JWT" }))}.${b64url(JSON.stringify(payload))}.${r.fmt(alg === "RS256" ? "{B:342}" : "{B:43}")}`;
const pemBody = (r: Rng, lines: number, head = "MIIEpAIBAAKCAQEA"): string[] => {
  const out = [head + r.fmt(`{b:${64 - head.length}}`)];
  for (let i = 1; i < lines; i++) out.push(r.fmt("{b:64}"));
  out.push(r.fmt("{b:40}") + "==");
  return out;
};
const D = "-----";
const pem = (label: string, body: string[]): string[] => [`${D}BEGIN ${label}${D}`, ...body, `${D}END ${label}${D}`];

const url = (service: string, make: (r: Rng) => [string, string, string]): FamilyCase => ({
  service,
  family: "url-credentials",
  make: (r) => {
    const [path, prefix, rest] = make(r);
    const pw = password(r);
    const v = prefix + pw + rest;
    const p = path.split("|");
    return at(p[0]!, [p[1] ?? "# connection", p[2]!.replace("$V", v)], pw);
  },
});

export const FAMILY_CASES: FamilyCase[] = [
  // --- URLs and connection strings
  url("postgres-url", () => [".env|# database|DATABASE_URL=$V", "postgres://shop_app:", "@db-prod.internal.acme-corp.io:5432/shop"]),
  url("postgresql-url", () => ["config/database.yml|production:|  url: $V", "postgresql://app:", "@pg-01.acme-corp.io:5432/app?sslmode=require"]),
  url("postgres-sqlalchemy", () => ["alembic.ini|[alembic]|sqlalchemy.url = $V", "postgresql+psycopg2://alembic:", "@pg.acme-corp.io/core"]),
  url("mysql-url", () => ["docker-compose.prod.yml|    environment:|      DATABASE_URL: \"$V\"", "mysql://root:", "@10.20.3.12:3306/wordpress"]),
  url("mongodb-srv-url", () => ["src/db.js|import mongoose from 'mongoose';|await mongoose.connect('$V');", "mongodb+srv://admin:", "@cluster0.ab12c.mongodb.net/prod?retryWrites=true&w=majority"]),
  url("mongodb-url", () => ["app/config.py|import os|MONGO_URI = \"$V\"", "mongodb://reporting:", "@mongo-1.acme-corp.io:27017,mongo-2.acme-corp.io:27017/analytics?replicaSet=rs0"]),
  url("redis-url", () => ["config/cache.ts|// cache|export const REDIS_URL = \"$V\";", "redis://:", "@redis-14592.c1.us-east-1-2.ec2.cloud.redislabs.com:14592"]),
  url("rediss-url", () => [".env.production|# cache|REDIS_URL=$V", "rediss://default:", "@eu1-brave-cod-38211.upstash.io:38211"]),
  url("amqp-url", () => ["config/celery.py|# broker|broker_url = '$V'", "amqp://worker:", "@rabbit.prod.acme-corp.io:5672/jobs"]),
  url("amqps-url", () => ["k8s/configmap.yaml|data:|  AMQP_URL: $V", "amqps://orders:", "@b-3f1c2d.mq.us-east-1.amazonaws.com:5671"]),
  url("mssql-url", () => ["ormconfig.json|{|  \"url\": \"$V\",", "mssql://sa_app:", "@sql01.acme-corp.io:1433/crm"]),
  url("sqlserver-url", () => ["cmd/api/main.go|package main|var dsn = \"$V\"", "sqlserver://svc_api:", "@sql.acme-corp.io:1433?database=orders"]),
  url("ftp-url", () => ["scripts/upload.sh|#!/bin/sh|lftp -e 'mirror -R dist /' $V", "ftp://deploy:", "@ftp.acme-corp.io"]),
  url("sftp-url", () => ["deploy.json|{|  \"target\": \"$V\"", "sftp://release:", "@files.acme-corp.io:22/var/www"]),
  url("smtp-url", () => ["config/mail.yml|mailer:|  dsn: $V", "smtp://apikey:", "@smtp.sendgrid.net:587"]),
  url("smtps-url", () => [".env|# mail|MAILER_DSN=$V", "smtps://postmaster%40mg.acme-corp.io:", "@smtp.mailgun.org:465"]),
  url("https-basic-url", () => ["package.json|{|  \"publishConfig\": { \"registry\": \"$V\" },", "https://ci-publisher:", "@nexus.acme-corp.io/repository/npm-private/"]),
  url("http-basic-url", () => ["monitoring/prometheus.yml|scrape_configs:|  - targets: ['$V']", "http://admin:", "@10.0.4.21:9100"]),
  url("pip-index-url", () => ["pip.conf|[global]|index-url = $V", "https://pypi-reader:", "@pypi.acme-corp.io/simple"]),
  url("git-credentials", () => [".git-credentials|# store|$V", "https://ci-bot:", "@git.acme-corp.io"]),
  url("gemfile-source", () => ["Gemfile|source \"https://rubygems.org\"|source \"$V\" do", "https://acme:", "@gems.contribsys.com/"]),
  url("ldap-url", () => ["config/ldap.yml|ldap:|  url: $V", "ldaps://cn=reader:", "@ldap.acme-corp.io:636/dc=acme,dc=io"]),
  url("jdbc-mysql", () => ["src/main/resources/application.properties|server.port=8080|spring.datasource.url=$V", "jdbc:mysql://db.acme-corp.io:3306/shop?user=shop&password=", "&useSSL=true"]),
  url("jdbc-postgres", () => ["conf/app.conf|# jdbc|db.default.url=\"$V\"", "jdbc:postgresql://pg.acme-corp.io:5432/app?user=app&password=", "&ssl=true"]),
  url("jdbc-sqlserver", () => ["hibernate.cfg.xml|<session-factory>|  <property name=\"connection.url\">$V</property>", "jdbc:sqlserver://sql.acme-corp.io:1433;databaseName=crm;user=crm_app;password=", ";encrypt=true"]),
  url("jdbc-oracle", () => ["etl/job.properties|# source|source.url=$V", "jdbc:oracle:thin:etl/", "@//ora.acme-corp.io:1521/ORCLPDB1"]),
  url("odbc-string", () => ["etl/load.py|import pyodbc|conn = pyodbc.connect(\"$V\")", "Driver={ODBC Driver 18 for SQL Server};Server=tcp:acme.database.windows.net,1433;Database=crm;Uid=crmadmin;Pwd=", ";Encrypt=yes;"]),
  url("ado-net-string", () => ["appsettings.json|  \"ConnectionStrings\": {|    \"DefaultConnection\": \"$V\"", "Server=tcp:acme-sql.database.windows.net,1433;Initial Catalog=crm;User ID=crmadmin;Password=", ";Encrypt=True;"]),
  url("web-config-string", () => ["Web.config|<connectionStrings>|  <add name=\"Shop\" connectionString=\"$V\" providerName=\"System.Data.SqlClient\" />", "Data Source=10.1.2.3;Initial Catalog=Shop;User Id=shop;Password=", ";"]),
  url("npgsql-string", () => ["src/Api/appsettings.Production.json|{|  \"Db\": \"$V\",", "Host=pg.acme-corp.io;Username=api;Password=", ";Database=api"]),
  url("mysql-connector-string", () => ["config.yaml|db:|  connection: \"$V\"", "Server=mysql.acme-corp.io;Database=shop;Uid=shop;Pwd=", ";"]),
  url("azure-storage-string", () => ["local.settings.json|{|  \"AzureWebJobsStorage\": \"$V\",", "DefaultEndpointsProtocol=https;AccountName=acmestore;AccountKey=", "ABCD==;EndpointSuffix=core.windows.net"]),

  // --- HTTP credentials in commands and code
  { service: "curl-user", family: "http-credentials", make: (r) => { const v = `deploy:${password(r)}`; return at("scripts/publish.sh", ["#!/bin/bash", `curl -u ${v} --upload-file dist/app.tgz https://nexus.acme-corp.io/repository/raw/`], v); } },
  { service: "curl-user-long", family: "http-credentials", make: (r) => { const v = password(r); return at("README.md", ["Upload:", "", "```sh", `curl --user "release-bot:${v}" -X POST https://artifacts.acme-corp.io/api/upload`, "```"], v); } },
  { service: "curl-bearer", family: "http-credentials", make: (r) => { const v = tokenB(r); return at("scripts/check.sh", ["#!/bin/sh", `curl -fsS -H "Authorization: Bearer ${v}" https://api.acme-corp.io/v2/health`], v); } },
  { service: "curl-header-token", family: "http-credentials", make: (r) => { const v = r.fmt("{h:40}"); return at("Makefile", ["release:", `\tcurl --header 'Authorization: Token ${v}' https://ci.acme-corp.io/api/builds`], v); } },
  { service: "curl-api-key-header", family: "http-credentials", make: (r) => { const v = r.fmt("{a:32}"); return at("docs/api.md", ["```bash", `curl https://api.acme-corp.io/v1/orders -H "X-API-Key: ${v}"`, "```"], v); } },
  { service: "wget-password", family: "http-credentials", make: (r) => { const v = password(r); return at("Dockerfile", ["FROM debian:12", `RUN wget --user=ci --password=${v} https://files.acme-corp.io/agent.deb`], v); } },
  { service: "wget-http-password", family: "http-credentials", make: (r) => { const v = password(r); return at("ci/fetch.sh", ["#!/bin/sh", `wget --http-user=mirror --http-password='${v}' -r https://mirror.acme-corp.io/`], v); } },
  { service: "basic-header", family: "http-credentials", make: (r) => { const v = b64(`svc-monitor:${password(r)}`); return at("requests.http", ["GET https://api.acme-corp.io/v1/status", `Authorization: Basic ${v}`], v); } },
  { service: "basic-header-nginx", family: "http-credentials", make: (r) => { const v = b64(`backend:${password(r)}`); return at("nginx/site.conf", ["location /api/ {", `    proxy_set_header Authorization "Basic ${v}";`, "}"], v); } },
  { service: "basic-header-js", family: "http-credentials", make: (r) => { const v = b64(`reporter:${password(r)}`); return at("src/report.js", ["const res = await fetch(url, {", `  headers: { Authorization: 'Basic ${v}' },`, "});"], v); } },
  { service: "requests-auth", family: "http-credentials", make: (r) => { const v = password(r); return at("jobs/export.py", ["import requests", `resp = requests.get(URL, auth=("svc-export", "${v}"), timeout=30)`], v); } },
  { service: "httpx-auth", family: "http-credentials", make: (r) => { const v = password(r); return at("client/session.py", ["import httpx", `client = httpx.Client(base_url=BASE, auth=('admin', '${v}'))`], v); } },
  { service: "http-basic-auth-class", family: "http-credentials", make: (r) => { const v = password(r); return at("sync/jira.py", ["from requests.auth import HTTPBasicAuth", `auth = HTTPBasicAuth("jira-sync@acme-corp.io", "${v}")`], v); } },
  { service: "headers-bearer-js", family: "http-credentials", make: (r) => { const v = tokenB(r); return at("src/services/api.ts", ["export const api = axios.create({", "  baseURL: 'https://api.acme-corp.io',", `  headers: { Authorization: "Bearer ${v}" },`, "});"], v); } },
  { service: "headers-bearer-py", family: "http-credentials", make: (r) => { const v = tokenB(r); return at("bot/main.py", ["import requests", `HEADERS = {"Authorization": "Bearer ${v}", "Accept": "application/json"}`], v); } },
  { service: "axios-auth", family: "http-credentials", make: (r) => { const v = password(r); return at("src/jobs/pull.js", ["const { data } = await axios.get(url, {", `  auth: { username: 'puller', password: '${v}' },`, "});"], v); } },
  { service: "go-basic-auth", family: "http-credentials", make: (r) => { const v = password(r); return at("internal/client/client.go", ["func (c *Client) do(req *http.Request) {", `\treq.SetBasicAuth("svc", "${v}")`, "}"], v); } },
  { service: "go-bearer-header", family: "http-credentials", make: (r) => { const v = tokenB(r); return at("internal/api/api.go", ["func call(req *http.Request) {", `\treq.Header.Set("Authorization", "Bearer ${v}")`, "}"], v); } },
  { service: "api-key-header-code", family: "http-credentials", make: (r) => { const v = r.fmt("{a:40}"); return at("src/weather.ts", ["const res = await fetch(url, {", `  headers: { 'X-Api-Key': '${v}' },`, "});"], v); } },

  // --- structured files
  { service: "k8s-secret-data", family: "structured", make: (r) => { const v = b64(password(r)); return at("k8s/db-secret.yaml", ["apiVersion: v1", "kind: Secret", "metadata:", "  name: db-credentials", "type: Opaque", "data:", "  username: c2hvcF9hcHA=", `  password: ${v}`], v); } },
  { service: "k8s-secret-data-token", family: "structured", make: (r) => { const v = b64(r.fmt("{a:32}")); return at("deploy/api-secret.yml", ["kind: Secret", "apiVersion: v1", "metadata:", "  name: api", "data:", `  API_TOKEN: ${v}`], v); } },
  { service: "k8s-secret-stringdata", family: "structured", make: (r) => { const v = password(r); return at("k8s/secret.yaml", ["apiVersion: v1", "kind: Secret", "metadata:", "  name: app", "stringData:", `  DB_PASSWORD: "${v}"`], v); } },
  { service: "k8s-secret-tls-key", family: "structured", make: (r) => { const v = b64([`${D}BEGIN PRIVATE KEY${D}`, ...pemBody(r, 8, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"), `${D}END PRIVATE KEY${D}`, ""].join("\n")); return at("k8s/tls.yaml", ["apiVersion: v1", "kind: Secret", "type: kubernetes.io/tls", "data:", "  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t", `  tls.key: ${v}`], v); } },
  { service: "docker-config-auth", family: "structured", make: (r) => { const v = b64(`acmebot:${password(r)}`); return at(".docker/config.json", ["{", '  "auths": {', '    "https://index.docker.io/v1/": {', `      "auth": "${v}"`, "    }", "  }", "}"], v); } },
  { service: "docker-config-registry", family: "structured", make: (r) => { const v = b64(`_json_key:${r.fmt("{a:24}")}`); return at("ci/docker-config.json", ['{"auths": {"registry.acme-corp.io": {', `  "auth": "${v}", "email": "ci@acme-corp.io"}}}`], v); } },
  { service: "npmrc-authtoken-legacy", family: "structured", make: (r) => { const v = r.uuid(); return at(".npmrc", ["registry=https://registry.npmjs.org/", `//registry.npmjs.org/:_authToken=${v}`], v); } },
  { service: "npmrc-private-token", family: "structured", make: (r) => { const v = r.fmt("{B:64}"); return at(".npmrc", ["@acme:registry=https://npm.acme-corp.io/", `//npm.acme-corp.io/:_authToken=${v}`], v); } },
  { service: "npmrc-auth", family: "structured", make: (r) => { const v = b64(`ci:${password(r)}`); return at(".npmrc", ["registry=https://nexus.acme-corp.io/repository/npm-all/", `_auth=${v}`, "always-auth=true"], v); } },
  { service: "npmrc-password", family: "structured", make: (r) => { const v = b64(password(r)); return at(".npmrc", ["//nexus.acme-corp.io/repository/npm/:username=ci", `//nexus.acme-corp.io/repository/npm/:_password=${v}`], v); } },
  { service: "yarnrc-token", family: "structured", make: (r) => { const v = r.fmt("{B:48}"); return at(".yarnrc.yml", ["npmScopes:", "  acme:", "    npmRegistryServer: https://npm.acme-corp.io", `    npmAuthToken: ${v}`], v); } },
  { service: "pypirc-password", family: "structured", make: (r) => { const v = password(r); return at(".pypirc", ["[distutils]", "index-servers = internal", "", "[internal]", "repository = https://nexus.acme-corp.io/repository/pypi/", "username = deployer", `password = ${v}`], v); } },
  { service: "nuget-credentials", family: "structured", make: (r) => { const v = password(r); return at("NuGet.Config", ["<configuration>", "  <packageSourceCredentials>", "    <AcmeFeed>", '      <add key="Username" value="ci" />', `      <add key="ClearTextPassword" value="${v}" />`, "    </AcmeFeed>", "  </packageSourceCredentials>", "</configuration>"], v); } },
  { service: "maven-settings", family: "structured", make: (r) => { const v = password(r); return at("settings.xml", ["<settings>", "  <servers>", "    <server>", "      <id>acme-releases</id>", "      <username>deployer</username>", `      <password>${v}</password>`, "    </server>", "  </servers>", "</settings>"], v); } },
  { service: "gradle-properties", family: "structured", make: (r) => { const v = password(r); return at("gradle.properties", ["org.gradle.jvmargs=-Xmx2g", "ossrhUsername=acme", `ossrhPassword=${v}`], v); } },
  { service: "netrc-multiline", family: "structured", make: (r) => { const v = r.uuid(); return at(".netrc", ["machine api.heroku.com", "  login ops@acme-corp.io", `  password ${v}`], v); } },
  { service: "netrc-oneline", family: "structured", make: (r) => { const v = password(r); return at(".netrc", [`machine ftp.acme-corp.io login deploy password ${v}`], v); } },
  { service: "terraform-variable-default", family: "structured", make: (r) => { const v = password(r); return at("variables.tf", ['variable "db_password" {', "  type      = string", `  default   = "${v}"`, "}"], v); } },
  { service: "terraform-provider-block", family: "structured", make: (r) => { const v = r.fmt("{h:32}"); return at("main.tf", ['provider "datadog" {', `  api_key = "${v}"`, "}"], v); } },
  { service: "terraform-tfvars", family: "structured", make: (r) => { const v = password(r); return at("envs/prod.auto.tfvars", ['environment = "prod"', `rds_master_password = "${v}"`], v); } },
  { service: "terraform-state", family: "structured", make: (r) => { const v = password(r); return at("terraform.tfstate", ['          "attributes": {', '            "engine": "postgres",', `            "password": "${v}",`, '            "username": "root"'], v); } },
  { service: "terraform-state-iam-secret", family: "structured", make: (r) => { const v = r.fmt("{b:40}"); return at("prod.tfstate", ['          "attributes": {', '            "id": "AKIA' + r.fmt("{c:16}") + '",', `            "secret": "${v}",`, '            "status": "Active"'], v); } },
  { service: "ansible-become", family: "structured", make: (r) => { const v = password(r); return at("group_vars/all.yml", ["ansible_user: deploy", `ansible_become_password: ${v}`], v); } },
  { service: "ansible-ssh-pass", family: "structured", make: (r) => { const v = password(r); return at("inventory/hosts.ini", ["[web]", `web1 ansible_host=10.0.0.11 ansible_ssh_pass=${v}`], v); } },
  { service: "ansible-db-vars", family: "structured", make: (r) => { const v = password(r); return at("roles/db/vars/main.yml", ["mysql_root_password: " + v, "mysql_databases:"], v); } },
  { service: "bundler-config", family: "structured", make: (r) => { const v = `${r.fmt("{h:8}")}:${r.fmt("{h:8}")}`; return at(".bundle/config", ["---", `BUNDLE_GEMS__CONTRIBSYS__COM: "${v}"`], v); } },
  { service: "bundler-env", family: "structured", make: (r) => { const v = `${r.fmt("{h:8}")}:${r.fmt("{h:8}")}`; return at(".github/workflows/test.yml", ["    env:", `      BUNDLE_ENTERPRISE__CONTRIBSYS__COM: ${v}`], v); } },
  { service: "composer-http-basic", family: "structured", make: (r) => { const v = r.fmt("{h:40}"); return at("auth.json", ["{", '  "http-basic": {', '    "repo.packagist.com": {', '      "username": "token",', `      "password": "${v}"`, "    }", "  }", "}"], v); } },
  { service: "composer-bearer", family: "structured", make: (r) => { const v = r.fmt("{a:40}"); return at("auth.json", ["{", '  "bearer": {', `    "satis.acme-corp.io": "${v}"`, "  }", "}"], v); } },
  { service: "wp-config", family: "structured", make: (r) => { const v = password(r); return at("wp-config.php", ["<?php", "define( 'DB_USER', 'wp' );", `define( 'DB_PASSWORD', '${v}' );`], v); } },
  { service: "spring-datasource", family: "structured", make: (r) => { const v = password(r); return at("src/main/resources/application.yml", ["spring:", "  datasource:", "    username: app", `    password: ${v}`], v); } },
  { service: "s3cfg", family: "structured", make: (r) => { const v = r.fmt("{b:40}"); return at(".s3cfg", ["[default]", `secret_key = ${v}`], v); } },
  { service: "htpasswd-plain-in-env", family: "structured", make: (r) => { const v = password(r); return at("docker-compose.yml", ["services:", "  db:", "    environment:", `      POSTGRES_PASSWORD: ${v}`], v); } },
  { service: "oauth-client-pair", family: "structured", make: (r) => { const v = r.fmt("{a:40}"); return at(".env", [`ACME_CLIENT_ID=${r.fmt("{a:20}")}`, `ACME_CLIENT_SECRET=${v}`], v); } },
  { service: "oauth-client-pair-yaml", family: "structured", make: (r) => { const v = r.fmt("{B:48}"); return at("config/oauth.yml", ["github:", `  client_id: Iv1.${r.fmt("{h:16}")}`, `  client_secret: ${v}`], v); } },

  // --- private keys, JWTs, crypto keys, generic secrets
  { service: "pem-rsa", family: "keys", make: (r) => at("certs/server.key", pem("RSA PRIVATE KEY", pemBody(r, 24)), "BEGIN") },
  { service: "pem-pkcs8", family: "keys", make: (r) => at("keys/signing.pem", pem("PRIVATE KEY", pemBody(r, 10, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC")), "BEGIN") },
  { service: "pem-ec", family: "keys", make: (r) => at("ec.pem", pem("EC PRIVATE KEY", pemBody(r, 2, "MHcCAQEEI")), "BEGIN") },
  { service: "pem-encrypted", family: "keys", make: (r) => at("keys/enc.pem", pem("ENCRYPTED PRIVATE KEY", pemBody(r, 12, "MIIFHzBJBgkqhkiG9w0BBQ0w")), "BEGIN") },
  { service: "pem-dsa", family: "keys", make: (r) => at("dsa.key", pem("DSA PRIVATE KEY", pemBody(r, 10, "MIIBuwIBAAKBgQ")), "BEGIN") },
  { service: "openssh-key", family: "keys", make: (r) => at(".ssh/id_ed25519", pem("OPENSSH PRIVATE KEY", pemBody(r, 5, "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ")), "BEGIN") },
  { service: "pgp-private", family: "keys", make: (r) => at("signing.asc", [`${D}BEGIN PGP PRIVATE KEY BLOCK${D}`, "", ...pemBody(r, 20, "lQOYBF"), "=" + r.fmt("{b:4}"), `${D}END PGP PRIVATE KEY BLOCK${D}`], "BEGIN") },
  { service: "putty-key", family: "keys", make: (r) => at("deploy.ppk", ["PuTTY-User-Key-File-3: ssh-rsa", "Encryption: none", "Comment: rsa-key-20240312", "Public-Lines: 6", ...pemBody(r, 5, "AAAAB3NzaC1yc2EAAAADAQABAAABAQ"), "Private-Lines: 14", ...pemBody(r, 13, "AAABAQ"), `Private-MAC: ${r.fmt("{h:64}")}`], "PuTTY-User-Key-File") },
  { service: "pem-yaml-block", family: "keys", make: (r) => at("helm/values-prod.yaml", ["tls:", "  key: |", ...pem("PRIVATE KEY", pemBody(r, 8, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC")).map((l) => "    " + l)], "BEGIN") },
  { service: "pem-json-escaped", family: "keys", make: (r) => at("gcp-sa.json", ["{", '  "type": "service_account",', `  "private_key_id": "${r.fmt("{h:40}")}",`, `  "private_key": "${pem("PRIVATE KEY", pemBody(r, 16, "MIIEvgIBADANBgkqhkiG9w0BAQEFAASC")).join("\\n")}\\n",`, '  "client_email": "ci@acme-prod.iam.gserviceaccount.com"', "}"], "private_key\"") },
  { service: "pem-env-escaped", family: "keys", make: (r) => at(".env", [`JWT_PRIVATE_KEY="${pem("RSA PRIVATE KEY", pemBody(r, 12)).join("\\n")}"`], "JWT_PRIVATE_KEY") },
  { service: "pem-code-concat", family: "keys", make: (r) => at("tests_support/keys.py", ["SIGNING_KEY = (", ...pem("RSA PRIVATE KEY", pemBody(r, 8)).map((l) => `    "${l}\\n"`), ")"], "BEGIN") },
  { service: "jwt-env", family: "keys", make: (r) => { const v = jwt(r, { role: "service_role", iss: "supabase", iat: 1700000000, exp: 2000000000 }); return at(".env", [`SUPABASE_SERVICE_ROLE_KEY=${v}`], v); } },
  { service: "jwt-code", family: "keys", make: (r) => { const v = jwt(r); return at("src/client.ts", [`const token = "${v}";`], v); } },
  { service: "jwt-json", family: "keys", make: (r) => { const v = jwt(r, { sub: r.uuid(), aud: "api", scope: "read write" }, "RS256"); return at("fixtures/session.json", ["{", `  "access_token": "${v}",`, '  "expires_in": 3600', "}"], v); } },
  { service: "jwt-curl", family: "keys", make: (r) => { const v = jwt(r); return at("docs/examples.md", ["```", `curl -H 'Authorization: Bearer ${v}' https://api.acme-corp.io/me`, "```"], v); } },
  { service: "jwt-yaml", family: "keys", make: (r) => { const v = jwt(r, { iss: "acme", sub: "ci" }, "HS512"); return at("config/ci.yaml", ["auth:", `  token: ${v}`], v); } },
  { service: "eth-private-key", family: "keys", make: (r) => { const v = "0x" + r.fmt("{h:64}"); return at(".env", ["RPC_URL=https://rpc.acme-corp.io", `DEPLOYER_PRIVATE_KEY=${v}`], v); } },
  { service: "eth-private-key-js", family: "keys", make: (r) => { const v = r.fmt("{h:64}"); return at("hardhat.config.js", ["module.exports = {", `  networks: { mainnet: { url: RPC, accounts: ["${v}"] } },`, "};"], v); } },
  { service: "wallet-private-key-yaml", family: "keys", make: (r) => { const v = r.fmt("{h:64}"); return at("bot/config.yaml", ["wallet:", `  private_key: "${v}"`], v); } },
  { service: "bitcoin-wif", family: "keys", make: (r) => { const v = "5" + r.pick(["H", "J", "K"]) + r.fmt("{5:49}"); return at("wallet.env", [`BTC_WIF_PRIVATE_KEY=${v}`], v); } },
  { service: "bitcoin-wif-compressed", family: "keys", make: (r) => { const v = r.pick(["K", "L"]) + r.fmt("{5:51}"); return at("scripts/sweep.py", [`WIF = "${v}"  # hot wallet`], v); } },
  { service: "generic-yaml-secret", family: "generic", make: (r) => { const v = r.fmt("{b:44}"); return at("config/app.yml", ["app:", `  signing_secret: ${v}`], v); } },
  { service: "generic-env-hex", family: "generic", make: (r) => { const v = r.fmt("{h:64}"); return at(".env", [`SESSION_SECRET=${v}`], v); } },
  { service: "generic-json-key", family: "generic", make: (r) => { const v = r.fmt("{b:43}") + "="; return at("config/default.json", ["{", `  "encryptionKey": "${v}"`, "}"], v); } },
  { service: "generic-markdown-block", family: "generic", make: (r) => { const v = r.fmt("{a:48}"); return at("README.md", ["Set these:", "", "```env", `APP_SECRET=${v}`, "```"], v); } },
  { service: "rails-secret-key-base", family: "generic", make: (r) => { const v = r.fmt("{h:128}"); return at("config/secrets.yml", ["production:", `  secret_key_base: ${v}`], v); } },
  { service: "django-secret-key", family: "generic", make: (r) => { const v = r.fmt("{l:20}") + "#(" + r.fmt("{l:12}") + "!=" + r.fmt("{l:14}"); return at("mysite/settings.py", [`SECRET_KEY = '${v}'`], v); } },
  { service: "generic-ini-token", family: "generic", make: (r) => { const v = r.fmt("{B:40}"); return at("deploy.ini", ["[api]", `auth_token = ${v}`], v); } },
  { service: "generic-toml-key", family: "generic", make: (r) => { const v = r.fmt("{a:40}"); return at("pyproject.toml", ["[tool.acme]", `api_key = "${v}"`], v); } },
  { service: "generic-xml-secret", family: "generic", make: (r) => { const v = r.fmt("{b:40}"); return at("config/app.xml", ["<config>", `  <clientSecret>${v}</clientSecret>`, "</config>"], v); } },
  { service: "generic-dockerfile-arg", family: "generic", make: (r) => { const v = r.fmt("{a:40}"); return at("Dockerfile", ["FROM python:3.12", `ARG API_TOKEN=${v}`], v); } },
  { service: "sumologic-access-id", family: "prefixless", make: (r) => { const v = "su" + r.fmt("{a:12}"); return at("sumo.tf", ['provider "sumologic" {', `  access_id  = "${v}"`, `  access_key = var.sumo_key`, "}"], v); } },
  { service: "twilio-account-pair", family: "prefixless", make: (r) => { const v = r.fmt("{h:32}"); return at("notify.py", ["from twilio.rest import Client", `client = Client("AC${r.fmt("{h:32}")}", "${v}")`], v); } },
];
