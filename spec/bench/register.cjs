// Preload of `npm run bench`: ts-node with TypeScript's own transpiler instead of swc (which
// tsconfig.json sets for the tests' many child processes, where start-up time counts). swc's
// CommonJS output reads every import through a getter on the exporting module's `exports`; tsc's,
// like the published build, through a plain property. On the hot path that measured 5-12% slower
// (see spec/bench/README.md), so the benchmark runs the code in the form users get.
require('ts-node').register({ transpileOnly: true, swc: false, experimentalResolver: true });
