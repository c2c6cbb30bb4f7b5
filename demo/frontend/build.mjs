// Bundle the front end with esbuild into the Django app's static files (core/static/core/app/).
// Files are replaced atomically and only when they changed, so a server that is running
// (another `rundemo`, a test) never serves a half-written bundle.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(here, "..", "core", "static", "core", "app");

const result = await build({
  absWorkingDir: here,
  entryPoints: ["src/main.tsx"],
  bundle: true,
  outdir,
  entryNames: "main",
  format: "esm",
  target: ["es2020"],
  jsx: "automatic",
  minify: true,
  sourcemap: "linked",
  legalComments: "linked",
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
  write: false,
});

await mkdir(outdir, { recursive: true });
let written = 0;
for (const file of result.outputFiles) {
  const previous = await readFile(file.path).catch(() => null);
  if (previous !== null && Buffer.compare(previous, Buffer.from(file.contents)) === 0) continue;
  const temporary = `${file.path}.${process.pid}.tmp`;
  await writeFile(temporary, file.contents);
  await rename(temporary, file.path);
  written++;
}
console.log(`Bundled the front end into ${path.relative(path.resolve(here, ".."), outdir)} (${written} of ${result.outputFiles.length} files changed)`);
