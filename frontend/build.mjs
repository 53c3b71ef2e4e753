// Builds the course pages' front end (src/main.js) into one script and one stylesheet in
// the course template's static folder: `npm ci && npm run build` here, or `make frontend`.
//
// The built files are committed, so serving the course needs no Node. Each starts with a
// stamp: a hash of package-lock.json, this file and src/; a test recomputes it, so a
// change to the sources without a rebuild fails the suite.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "share", "jupyter", "voila", "templates", "course", "static");

export function stamp() {
  const digest = createHash("sha256");
  const files = ["package-lock.json", "build.mjs"].concat(
    readdirSync(join(here, "src")).sort().map((name) => join("src", name)),
  );
  for (const name of files) {
    digest.update(name + "\0");
    digest.update(createHash("sha256").update(readFileSync(join(here, name))).digest());
  }
  return digest.digest("hex").slice(0, 16);
}

// anywidget's package is an AMD module (`define(["@jupyter-widgets/base"], factory)`)
// for JupyterLab's loader; here its factory is exported and given the base module.
const anywidgetAsModule = {
  name: "anywidget-as-module",
  setup(build) {
    build.onLoad({ filter: /node_modules[\\/]anywidget[\\/]dist[\\/]index\.js$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      const amd = 'define(["@jupyter-widgets/base"], widget_default);';
      if (!text.includes(amd)) {
        throw new Error("anywidget's bundle no longer ends with its AMD define: check build.mjs");
      }
      // One module for each module text, as a browser keeps one module for each address:
      // anywidget imports a widget's code from a new blob: address for every model, so a
      // lesson with 15 live regions compiled and ran the same 20 lines 15 times.
      const load = "async function loadEsm(esm) {";
      if (!text.includes(load)) {
        throw new Error("anywidget's bundle no longer has loadEsm(esm): check build.mjs");
      }
      const once =
        "const loadedEsm = new Map();\n" +
        "function loadEsm(esm) {\n" +
        "  if (!loadedEsm.has(esm)) {\n" +
        "    const loading = loadEsmOnce(esm);\n" +
        "    loadedEsm.set(esm, loading);\n" +
        "    loading.catch(() => loadedEsm.delete(esm));\n" +
        "  }\n" +
        "  return loadedEsm.get(esm);\n" +
        "}\n" +
        "async function loadEsmOnce(esm) {";
      return {
        contents: text.replace(amd, "export default widget_default;").replace(load, once),
        loader: "js",
      };
    });
  },
};

// Two libraries the course's pages do not need, swapped for small ones of its own, each
// checked so that a new version of the package that uses more fails the build:
// * sanitize-html (with postcss and an HTML parser, ~240 kB of the ~960): ipywidgets uses
//   it only for a description with description_allow_html, which no course widget sets;
//   src/escape-html.js shows such a description as plain text instead.
// * @jupyterlab/services' kernel connection requires the package's index (every service:
//   contents, sessions, terminals, settings) for two names; src/services-index.js gives
//   those two from their own modules.
const KERNEL_NEEDS = ["CommsOverSubshells", "ServerConnection"];
const smaller = {
  name: "smaller",
  setup(build) {
    build.onResolve({ filter: /^sanitize-html$/ }, (args) => {
      if (!/base-manager[\\/]lib[\\/]manager-base\.js$/.test(args.importer)) {
        throw new Error(`sanitize-html is now imported by ${args.importer}: check build.mjs`);
      }
      return { path: join(here, "src", "escape-html.js") };
    });
    build.onResolve({ filter: /^\.\.$/ }, (args) => {
      if (!/@jupyterlab[\\/]services[\\/]lib[\\/]kernel[\\/]default\.js$/.test(args.importer)) {
        return undefined;
      }
      const used = [...new Set(readFileSync(args.importer, "utf8").match(/__1\.\w+/g))]
        .map((name) => name.slice(4))
        .sort();
      if (JSON.stringify(used) !== JSON.stringify(KERNEL_NEEDS)) {
        throw new Error(`the kernel connection now uses ${used} from services: check build.mjs`);
      }
      return { path: join(here, "src", "services-index.js") };
    });
  },
};

// The catch-up after a page drawn from its own copy of the widgets' state (src/main.js,
// changedHere) reads ipywidgets' bookkeeping of a visitor's changes the kernel has not
// yet confirmed; a version of @jupyter-widgets/base without it fails the build.
const widgetJs = readFileSync(join(here, "node_modules/@jupyter-widgets/base/lib/widget.js"), "utf8");
for (const kept of ["this._expectedEchoMsgIds = new Map()", "this._msg_buffer = null"]) {
  if (!widgetJs.includes(kept)) {
    throw new Error(`@jupyter-widgets/base no longer has ${kept}: check changedHere in src/main.js`);
  }
}

const banner = `/* course-widgets ${stamp()}: built from frontend/ by build.mjs; do not edit. */`;
const result = await esbuild.build({
  entryPoints: { "course-widgets": join(here, "src", "main.js") },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  outdir: out,
  legalComments: "none",
  banner: { js: banner, css: banner },
  loader: { ".woff": "empty", ".woff2": "empty", ".ttf": "empty", ".eot": "empty", ".svg": "dataurl", ".png": "dataurl" },
  define: { "process.env.NODE_ENV": '"production"' },
  plugins: [anywidgetAsModule, smaller],
  metafile: true,
  logLevel: "warning",
});
writeFileSync(join(here, "meta.json"), JSON.stringify(result.metafile));
console.log(await esbuild.analyzeMetafile(result.metafile, { verbose: false }));
