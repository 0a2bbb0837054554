// The README's TypeScript examples ("### From TypeScript") are the files in
// readme/, verbatim, and each runs against polar-sessions fake with the SDK
// version it is written for ("@polar-sh/sdk" resolved to that npm alias by
// lib/sdk-alias.mjs).
import { describe, it, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

import { startFake, conformanceDir } from "../lib/fake.mjs";

const run = promisify(execFile);
const readmeDir = path.join(conformanceDir, "readme");
const heading = "### From TypeScript";

// The SDK alias each example is written for.
const examples = {
  "sdk-0.x.mjs": "polar-sdk-049",
  "sdk-1.x.mjs": "polar-sdk-1",
};

// The fenced ts/js blocks of the README's heading section, up to the next
// heading of its level or above.
function blocksUnder(markdown, title) {
  const lines = markdown.split("\n");
  const start = lines.indexOf(title);
  if (start < 0) return null;
  const level = title.indexOf(" ");
  const blocks = [];
  let block = null;
  for (const line of lines.slice(start + 1)) {
    if (block === null) {
      const m = /^#+ /.exec(line);
      if (m && m[0].length - 1 <= level) break;
      if (/^```(ts|typescript|js|javascript)$/.test(line)) block = [];
    } else if (line === "```") {
      blocks.push(block.join("\n") + "\n");
      block = null;
    } else {
      block.push(line);
    }
  }
  return blocks;
}

describe("README: TypeScript examples", () => {
  it("are the files in conformance/readme/, each once", async () => {
    const readme = await readFile(path.join(conformanceDir, "..", "README.md"), "utf8");
    const blocks = blocksUnder(readme, heading);
    assert.ok(blocks, `README.md has no "${heading}" section`);
    const files = (await readdir(readmeDir)).filter((f) => f.endsWith(".mjs")).sort();
    assert.deepEqual(files, Object.keys(examples).sort(), "every example in readme/ needs an SDK in examples");
    const texts = await Promise.all(files.map((f) => readFile(path.join(readmeDir, f), "utf8")));
    assert.equal(blocks.length, files.length, `the section has ${blocks.length} code blocks, readme/ ${files.length} files`);
    for (const [i, text] of texts.entries()) {
      assert.ok(blocks.includes(text), `readme/${files[i]} is not in README.md's "${heading}" verbatim`);
    }
  });

  let fake;
  before(async () => { fake = await startFake(); });
  after(() => fake?.stop());
  beforeEach(() => fake.control.reset());

  for (const [file, alias] of Object.entries(examples)) {
    it(`readme/${file} runs with ${alias}`, async () => {
      const { stdout } = await run(process.execPath, ["--import", "./lib/sdk-alias.mjs", path.join("readme", file)], {
        cwd: conformanceDir,
        env: { ...process.env, POLAR_SDK_PACKAGE: alias, POLAR_SERVER: fake.server, POLAR_ACCESS_TOKEN: fake.accessToken },
        timeout: 20_000,
      });
      const [portal, same, ...rest] = stdout.split("\n");
      assert.deepEqual(rest, [""], stdout);
      const url = new URL(portal);
      assert.equal(url.origin, "https://polar.sh");
      assert.match(url.searchParams.get("customer_session_token"), /^polar_mst_/);
      assert.equal(url.searchParams.get("email"), "ada@example.com");
      assert.equal(same, "true", "introspect's expires_at is not the session's");
      fake.watch(url.searchParams.get("customer_session_token"));
    });
  }
});
