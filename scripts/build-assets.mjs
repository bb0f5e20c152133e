// Builds Keywork's static files from the pinned npm packages into build/static.
// GOV.UK Frontend is compiled from its Sass with Keywork's own font and colour,
// so nothing of the GOV.UK brand (GDS Transport, the crown) reaches the page.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "static");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "keywork"), { recursive: true });
mkdirSync(join(out, "vendor"), { recursive: true });

const css = sass.compile(join(root, "keywork", "assets", "keywork.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "keywork", "keywork.css"), css.css);

// The bundle ends by naming its source map (all.bundle.js.map), which is not shipped:
// the bundle is not minified. Left in, collectstatic's manifest storage stops on it.
const bundle = readFileSync(join(govuk, "all.bundle.js"), "utf8")
  .replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
if (bundle.includes("sourceMappingURL")) {
  throw new Error("govuk-frontend's bundle still names a source map");
}
writeFileSync(join(out, "vendor", "govuk-frontend.bundle.js"), bundle);
cpSync(join(root, "node_modules", "htmx.org", "dist", "htmx.min.js"), join(out, "vendor", "htmx.min.js"));
console.log(`assets built in ${out}`);
