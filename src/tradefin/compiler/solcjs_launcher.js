#!/usr/bin/env node
// A native-solc look-alike over npm's solc-js, for py-solc-x, ape-solidity and Slither.
// Speaks `--version` and `--standard-json` (JSON on stdin, JSON on stdout) and resolves imports from
// --base-path, --include-path and the working directory, the way native solc does.
'use strict';
const fs = require('fs');
const path = require('path');

const solcModule = process.env.TRADEFIN_SOLCJS || 'solc';
const solc = require(solcModule);

function parseArgs(argv) {
  const opts = { basePath: process.cwd(), includePaths: [], allowPaths: [], mode: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--version': opts.mode = 'version'; break;
      case '--standard-json': opts.mode = 'standard-json'; break;
      case '--base-path': opts.basePath = path.resolve(value()); break;
      case '--include-path': opts.includePaths.push(path.resolve(value())); break;
      case '--allow-paths': opts.allowPaths.push(...value().split(',').map((p) => path.resolve(p))); break;
      default:
        if (flag.startsWith('-')) {
          // Flags native solc accepts in standard-json mode that change nothing here.
          if (['--optimize', '--no-color', '--pretty-json', '--json-indent'].includes(flag)) break;
          process.stderr.write(`solc-js launcher: unsupported option ${flag}\n`);
          process.exitCode = 1;
          return null;
        }
    }
  }
  return opts;
}

function makeImportCallback(opts) {
  // The working directory comes last: ape compiles a copy of the project in a temporary folder (its base path)
  // while node_modules stays in the project it was started from.
  const roots = [...new Set([opts.basePath, ...opts.includePaths, ...opts.allowPaths, process.cwd()])];
  return (importPath) => {
    const candidates = path.isAbsolute(importPath) ? [importPath] : roots.map((r) => path.join(r, importPath));
    for (const candidate of candidates) {
      try {
        return { contents: fs.readFileSync(candidate, 'utf8') };
      } catch (_) { /* try the next root */ }
    }
    return { error: `File not found: ${importPath} (searched ${roots.join(', ')})` };
  };
}

function readSourceUrls(input, readImport) {
  for (const [name, source] of Object.entries(input.sources || {})) {
    if (source.content === undefined && Array.isArray(source.urls)) {
      for (const url of source.urls) {
        const found = readImport(url);
        if (found.contents !== undefined) { source.content = found.contents; break; }
      }
      delete source.urls;
      if (source.content === undefined) throw new Error(`cannot read source ${name}`);
    }
  }
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!opts) return;
  if (opts.mode === 'version') {
    process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
    return;
  }
  if (opts.mode !== 'standard-json') {
    process.stderr.write('solc-js launcher: only --version and --standard-json are supported\n');
    process.exitCode = 1;
    return;
  }
  const chunks = [];
  process.stdin.on('data', (chunk) => chunks.push(chunk));
  process.stdin.on('end', () => {
    const readImport = makeImportCallback(opts);
    let input;
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      readSourceUrls(input, readImport);
    } catch (err) {
      const error = { component: 'general', severity: 'error', type: 'JSONError', message: String(err.message || err) };
      error.formattedMessage = error.message;
      process.stdout.write(JSON.stringify({ errors: [error] }));
      return;
    }
    // Let Node flush the pipe on its own: process.exit() here would truncate output beyond 64 KiB.
    process.stdout.write(solc.compile(JSON.stringify(input), { import: readImport }));
  });
}

main();
