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
  // MOJ Frontend loads GOV.UK Frontend as "node_modules/govuk-frontend/...", so the
  // project's root is a load path as well.
  loadPaths: [join(root, "node_modules"), root],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "keywork", "keywork.css"), css.css);

// MOJ Frontend's images, only those the CSS names (its crest and logos never are), so
// that collectstatic's manifest storage finds every one.
const mojImages = join(root, "node_modules", "@ministryofjustice", "frontend", "moj", "assets", "images");
const named = new Set([...css.css.matchAll(/\/static\/moj\/assets\/images\/([\w.-]+)/g)].map((m) => m[1]));
for (const image of named) {
  if (/crest|logotype|crown/.test(image)) {
    throw new Error(`the CSS names MOJ's branding: ${image}`);
  }
  mkdirSync(join(out, "moj", "assets", "images"), { recursive: true });
  cpSync(join(mojImages, image), join(out, "moj", "assets", "images", image));
}

// The bundle ends by naming its source map (all.bundle.js.map), which is not shipped:
// the bundle is not minified. Left in, collectstatic's manifest storage stops on it.
const bundle = readFileSync(join(govuk, "all.bundle.js"), "utf8")
  .replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
if (bundle.includes("sourceMappingURL")) {
  throw new Error("govuk-frontend's bundle still names a source map");
}
writeFileSync(join(out, "vendor", "govuk-frontend.bundle.js"), bundle);
cpSync(join(root, "node_modules", "htmx.org", "dist", "htmx.min.js"), join(out, "vendor", "htmx.min.js"));

// MOJ Frontend's button menu, the one MOJ component whose behaviour Keywork uses; it
// builds on the GOV.UK Frontend bundle loaded before it. Its source map is not shipped.
const buttonMenu = readFileSync(
  join(root, "node_modules", "@ministryofjustice", "frontend", "moj", "components", "button-menu", "button-menu.bundle.js"),
  "utf8",
).replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
if (buttonMenu.includes("sourceMappingURL")) {
  throw new Error("MOJ Frontend's button menu still names a source map");
}
writeFileSync(join(out, "vendor", "moj-button-menu.bundle.js"), buttonMenu);
console.log(`assets built in ${out}`);
