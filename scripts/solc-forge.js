#!/usr/bin/env node
/*
 * The Solidity compiler for forge, offline: a `solc`-shaped command line over the npm `solc` package
 * (solcjs, the same compiler Hardhat uses, pinned in package.json). foundry.toml points `solc` here.
 *
 * Forge runs it in two ways only:
 *   solc-forge.js --version             -> prints the native binary's banner, which forge parses
 *   solc-forge.js ... --standard-json   -> standard JSON in on stdin, standard JSON out on stdout
 * Forge also passes `--base-path`, `--allow-paths` and `--include-path`; solcjs has no file system of
 * its own, so they are ignored and files that are not already in the input are read by the import
 * callback below, from inside the project root only (so a path outside the project is refused rather than
 * read). Set SOLC_FORGE_LOG=<file> to append each invocation's argv and input JSON to <file>.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const argv = process.argv.slice(2);

function log(text) {
  if (process.env.SOLC_FORGE_LOG) fs.appendFileSync(process.env.SOLC_FORGE_LOG, text + "\n");
}

/** Loads solcjs (about 0.6 s: soljson.js is compiled by node's WebAssembly/asm.js runtime). */
function loadSolc() {
  return require("solc");
}

/** The pinned version, as package.json and hardhat.config.ts name it. */
function solcVersion() {
  return require("solc/package.json").version;
}

/**
 * Import callback: `importPath` is what solc asks for after applying the remappings forge sent,
 * relative to the project root (forge names sources by their root-relative path). Only files inside the
 * root are served; the check is made on the logical path, so `node_modules` may be a symlink.
 */
function findImport(importPath) {
  const resolved = path.resolve(ROOT, importPath);
  if (resolved !== ROOT && !resolved.startsWith(ROOT + path.sep)) {
    return { error: `solc-forge: ${importPath} is outside the project root ${ROOT}` };
  }
  try {
    return { contents: fs.readFileSync(resolved, "utf8") };
  } catch (error) {
    return { error: `solc-forge: cannot read ${importPath}: ${error.code ?? error.message}` };
  }
}

function main() {
  log(`argv: ${JSON.stringify(argv)} cwd: ${process.cwd()}`);
  if (argv.includes("--version") || argv.includes("-v")) {
    // Forge parses `Version: <semver>`; the build tag of the native Linux binary keeps it on the native
    // code path (an Emscripten tag is not needed and the output of both builds is identical).
    const long = loadSolc().version(); // e.g. 0.8.28+commit.7893614a.Emscripten.clang
    const commit = /\+commit\.([0-9a-f]+)/.exec(long)?.[1];
    process.stdout.write(
      `solc, the solidity compiler commandline interface\nVersion: ${solcVersion()}+commit.${commit}.Linux.g++\n`,
    );
    return 0;
  }
  if (!argv.includes("--standard-json")) {
    process.stderr.write(`solc-forge: only --version and --standard-json are supported (got ${argv.join(" ")})\n`);
    return 2;
  }
  const input = fs.readFileSync(0, "utf8");
  log(`input: ${input}`);
  const output = loadSolc().compile(input, { import: findImport });
  process.stdout.write(output);
  return 0;
}

process.exitCode = main();
