/**
 * The README stands on its own in a clone (issue 15): README.md, THREATS.md and docs/*.md link only
 * to files of the repository that exist, and every link to a heading of a markdown file (the
 * design's sections above all) names a heading that exists, with GitHub's slugs. Plain file reads:
 * no chain, no compilation needed.
 */
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";

const ROOT = path.resolve(__dirname, "..");

/** The documents checked: README.md, THREATS.md and every markdown file in docs/. */
function documents(): string[] {
  const docsDir = path.join(ROOT, "docs");
  const docs = fs.existsSync(docsDir)
    ? fs
        .readdirSync(docsDir)
        .filter((f) => f.endsWith(".md"))
        .map((f) => path.join(docsDir, f))
    : [];
  return [path.join(ROOT, "README.md"), path.join(ROOT, "THREATS.md"), ...docs];
}

/** The text with fenced code blocks blanked (line numbers kept): links there are examples. */
function withoutFences(text: string): string {
  let fence: string | undefined;
  return text
    .split("\n")
    .map((line) => {
      const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence === undefined) {
        if (marker === undefined) return line;
        fence = marker;
        return "";
      }
      const closes = marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length;
      if (closes && line.trim() === marker) fence = undefined;
      return "";
    })
    .join("\n");
}

/** Splits inline text into code spans and the rest. */
function segments(text: string): { code: boolean; text: string }[] {
  const out: { code: boolean; text: string }[] = [];
  const re = /(`+)([\s\S]*?[^`])\1(?!`)/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push({ code: false, text: text.slice(last, m.index) });
    out.push({ code: true, text: m[2]!.trim() });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ code: false, text: text.slice(last) });
  return out;
}

/** GitHub's anchor for a heading (github-slugger): rendered text, lower case, punctuation dropped. */
export function githubSlug(heading: string): string {
  const rendered = segments(heading)
    .map(
      (s) =>
        s.code
          ? s.text
          : s.text
              .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // a link shows its text
              .replace(/<[^>]+>/g, "") // inline HTML
              .replace(/(^|[^\p{L}\p{N}])_+(?=\S)|(?<=\S)_+(?=[^\p{L}\p{N}]|$)/gu, "$1"), // _emphasis_
    )
    .join("")
    .trim()
    .toLowerCase();
  return rendered.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
}

/** Every anchor a markdown file offers: its headings' slugs (with GitHub's -1, -2 for repeats) and HTML ids. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutFences(markdown).split("\n")) {
    const m = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (m) {
      const base = githubSlug(m[1]!);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const id of line.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(id[1]!);
  }
  return anchors;
}

/** Every link target of a markdown text (inline links and images, reference definitions, href), outside code. */
export function linkTargets(markdown: string): string[] {
  const prose = segments(withoutFences(markdown))
    .filter((s) => !s.code)
    .map((s) => s.text)
    .join(" ");
  const targets: string[] = [];
  const inline = /!?\[(?:[^[\]]|\[[^[\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
  for (const m of prose.matchAll(inline)) targets.push(m[1]!);
  for (const m of prose.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/gm)) targets.push(m[1]!);
  for (const m of prose.matchAll(/\bhref="([^"]*)"/g)) targets.push(m[1]!);
  return targets;
}

/** Paths written as `../…` anywhere outside fenced code (links, code spans, prose). */
function parentPointers(markdown: string): string[] {
  return [...withoutFences(markdown).matchAll(/(?:^|[\s(`'"[])((?:\.\.\/)+[^\s)`'"\]]*)/gm)].map((m) => m[1]!);
}

/** What is wrong with the links of `file` (a markdown file under `root`), one line each. */
export function linkProblems(file: string, markdown: string, root: string = ROOT): string[] {
  const problems: string[] = [];
  const where = path.relative(root, file);
  const inside = (target: string): boolean => {
    const rel = path.relative(root, target);
    return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
  };
  for (const target of linkTargets(markdown)) {
    if (target === "" || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http(s), mailto: not relative
    const hash = target.indexOf("#");
    const pathPart = decodeURI(hash < 0 ? target : target.slice(0, hash));
    const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
    const resolved =
      pathPart === ""
        ? file
        : pathPart.startsWith("/")
          ? path.join(root, pathPart)
          : path.resolve(path.dirname(file), pathPart);
    if (!inside(resolved)) {
      problems.push(`${where}: link ${target} leaves the repository`);
      continue;
    }
    if (!fs.existsSync(resolved)) {
      problems.push(`${where}: link ${target} points to a missing file ${path.relative(root, resolved)}`);
      continue;
    }
    if (anchor !== undefined && resolved.endsWith(".md")) {
      const text = resolved === file ? markdown : fs.readFileSync(resolved, "utf8");
      if (!anchorsOf(text).has(anchor)) {
        problems.push(`${where}: link ${target}: no heading #${anchor} in ${path.relative(root, resolved)}`);
      }
    }
  }
  for (const pointer of parentPointers(markdown)) {
    if (!inside(path.resolve(path.dirname(file), pointer))) {
      problems.push(`${where}: ${pointer} points outside the repository`);
    }
  }
  return problems;
}

describe("README and docs stand on their own in a clone", function () {
  it("finds the documents: README.md, THREATS.md and docs/design.md", function () {
    const names = documents().map((f) => path.relative(ROOT, f));
    expect(names).to.include.members(["README.md", "THREATS.md", path.join("docs", "design.md")]);
    for (const f of documents()) expect(fs.existsSync(f), f).to.equal(true);
  });

  it("computes GitHub's heading anchors", function () {
    expect(githubSlug("7. Deployment and roles")).to.equal("7-deployment-and-roles");
    expect(githubSlug("InflationVote — its parameters, and why")).to.equal("inflationvote--its-parameters-and-why");
    expect(githubSlug("Tasks (`npx hardhat dg:* --network <network>`)")).to.equal(
      "tasks-npx-hardhat-dg---network-network",
    );
    expect(githubSlug("The SDK (`sdk/`)")).to.equal("the-sdk-sdk");
    expect(githubSlug("Where the standard behaviour stands (bad input)")).to.equal(
      "where-the-standard-behaviour-stands-bad-input",
    );
    expect(githubSlug("`_seed` and _emphasis_ with MIN_VOTE_LOCK")).to.equal("_seed-and-emphasis-with-min_vote_lock");
    const anchors = anchorsOf("# A\n## Same\n```\n# not a heading\n```\n## Same\n### 9. Web app (planned)\n");
    expect([...anchors]).to.deep.equal(["a", "same", "same-1", "9-web-app-planned"]);
  });

  it("catches a link that leaves the repository, a missing file, a missing anchor and a ../ pointer", function () {
    const readme = path.join(ROOT, "README.md");
    const bad = [
      "[spec](../shared/SPEC.md)",
      "[gone](docs/nothing-here.md)",
      "[design](docs/design.md#no-such-section)",
      "Specification: `../shared/SPEC.md`.",
      "[ref]: ../outside.md",
    ].join("\n\n");
    expect(linkProblems(readme, bad)).to.deep.equal([
      "README.md: link ../shared/SPEC.md leaves the repository",
      "README.md: link docs/nothing-here.md points to a missing file docs/nothing-here.md",
      "README.md: link docs/design.md#no-such-section: no heading #no-such-section in docs/design.md",
      "README.md: link ../outside.md leaves the repository",
      "README.md: ../shared/SPEC.md points outside the repository",
      "README.md: ../shared/SPEC.md points outside the repository",
      "README.md: ../outside.md points outside the repository",
    ]);
    const fine = [
      "[design §6](docs/design.md#6-crosscheck), [the\nthreats](THREATS.md), [web](https://example.org/x)",
      "```sh\ncat ../shared/SPEC.md   # an example, in a fence\n```",
    ].join("\n\n");
    expect(linkProblems(readme, fine)).to.deep.equal([]);
    expect(linkTargets("`[code](a.md)` and [a link](b.md) and [`code` in a link](c.md)")).to.deep.equal([
      "b.md",
      "c.md",
    ]);
  });

  it("README.md, THREATS.md and docs/*.md link only to files of the repository that exist, and to headings that exist", function () {
    const problems = documents().flatMap((f) => linkProblems(f, fs.readFileSync(f, "utf8")));
    expect(problems, problems.join("\n")).to.deep.equal([]);
  });

  it("every link into docs/design.md names one of its sections", function () {
    const design = path.join(ROOT, "docs", "design.md");
    const anchors = anchorsOf(fs.readFileSync(design, "utf8"));
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9]) {
      expect(
        [...anchors].some((a) => a.startsWith(`${n}-`)),
        `design §${n}`,
      ).to.equal(true);
    }
    let links = 0;
    for (const f of documents()) {
      for (const target of linkTargets(fs.readFileSync(f, "utf8"))) {
        if (!target.includes("design.md#")) continue;
        links += 1;
        expect(anchors.has(target.slice(target.indexOf("#") + 1)), `${path.relative(ROOT, f)}: ${target}`).to.equal(
          true,
        );
      }
    }
    expect(links).to.be.greaterThan(10);
  });

  it("README.md and THREATS.md cite the design, not the SPEC outside the repository", function () {
    for (const name of ["README.md", "THREATS.md"]) {
      const text = withoutFences(fs.readFileSync(path.join(ROOT, name), "utf8"));
      const lines = text.split("\n").flatMap((l, i) => (/\bSPEC\b|\.\.\/shared\b/.test(l) ? [`${name}:${i + 1}`] : []));
      expect(lines, lines.join(", ")).to.deep.equal([]);
    }
  });
});
