// Bundle the editor once into one minified file inside the package, with the licences of what it holds.
//   cd editors/web && npm ci && npm run build
import {build} from "esbuild";
import {readFileSync, writeFileSync, readdirSync, existsSync} from "node:fs";
import {join} from "node:path";

const out = "../../nhnprice/serve/static";
const result = await build({
  entryPoints: ["src/editor.js"], bundle: true, minify: true, format: "iife", target: "es2020",
  outfile: join(out, "editor.js"), legalComments: "none", metafile: true, charset: "utf8",
});

// every package whose code went into the bundle, with its licence text
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (m) packages.add(m[1]);
}
let text = "Third-party code bundled in editor.js (built by editors/web/build.mjs)\n";
for (const name of [...packages].sort()) {
  const dir = join("node_modules", name);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = readdirSync(dir).find(f => /^licen[cs]e/i.test(f));
  text += `\n${"=".repeat(72)}\n${name} ${pkg.version} (${pkg.license})\n${"=".repeat(72)}\n\n`;
  text += file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), "utf8") : `License: ${pkg.license}\n`;
}
writeFileSync(join(out, "editor.LICENSES.txt"), text);
console.log([...packages].sort().join(", "));
