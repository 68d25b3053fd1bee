// Which files run in the browser. Framework conventions decide: a "use client" / "use server"
// directive, Next.js folders (pages/ is bundled for the browser, app/ only with "use client"),
// server-only file names, React Native / Expo, and the src/ of a Vite or Create React App app.

const DIRECTIVE = /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*["']use (client|server)["']/;
const SERVER_PATH =
  /(^|\/)(pages\/api|app\/api|api|server|servers|backend|functions|netlify\/functions|supabase\/functions|scripts|migrations|prisma|lib\/server)\/|(^|\/)(route|middleware|instrumentation)\.[cm]?[jt]sx?$|\.server\.[cm]?[jt]sx?$|(^|\/)(next|vite|nuxt|svelte|astro|gatsby-node|gatsby-config|webpack|babel|metro|tailwind|postcss|vitest|jest|playwright)\.config\.[cm]?[jt]s$|(^|\/)server\.[cm]?[jt]s$/;
const SERVER_IMPORT = /(?:from\s+|require\(\s*)["'](server-only|express|fastify|koa|@nestjs\/[\w-]+|fs|node:fs|pg|mysql2?|mongoose|@prisma\/client|next\/server|child_process|node:child_process)["']/;
const NATIVE_IMPORT = /(?:from\s+|require\(\s*)["'](react-native|expo|expo-[\w-]+|@expo\/[\w-]+)["']/;
const SPA_SIGNAL = /(?:from\s+|require\(\s*)["'](react|react-dom(?:\/client)?|vue|svelte|solid-js)["']|import\.meta\.env\.VITE_|process\.env\.REACT_APP_/;
const CODE = /\.[cm]?[jt]sx?$|\.vue$|\.svelte$/;

/** True when this file's code ends up in the browser bundle (or the mobile app). */
export function isClientFile(path: string, content: string): boolean {
  if (!CODE.test(path)) return false;
  const directive = DIRECTIVE.exec(content)?.[1];
  if (directive === "server") return false;
  if (directive === "client") return true;
  if (SERVER_PATH.test(path) || SERVER_IMPORT.test(content)) return false;
  if (NATIVE_IMPORT.test(content)) return true;
  // Next.js pages router: every page is bundled for the browser (data functions are stripped, see below).
  if (/(^|\/)pages\//.test(path)) return true;
  // Next.js app router: server components unless "use client" (handled above).
  if (/(^|\/)app\//.test(path)) return false;
  if (/(^|\/)src\//.test(path) && (/\.[jt]sx$|\.vue$|\.svelte$/.test(path) || SPA_SIGNAL.test(content))) return true;
  return false;
}

/** Line ranges (1-based, inclusive) of a pages/ file that Next.js runs only on the server. */
export function serverOnlyRanges(content: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const re = /(?:function\s+|const\s+)(getServerSideProps|getStaticProps|getStaticPaths|getInitialProps)\b/g;
  for (let m = re.exec(content); m; m = re.exec(content)) {
    const open = content.indexOf("{", m.index);
    if (open < 0) continue;
    let depth = 0;
    let end = content.length;
    for (let i = open; i < content.length; i++) {
      if (content[i] === "{") depth++;
      else if (content[i] === "}" && --depth === 0) {
        end = i;
        break;
      }
    }
    const lineAt = (offset: number) => content.slice(0, offset).split("\n").length;
    ranges.push([lineAt(m.index), lineAt(end)]);
  }
  return ranges;
}
