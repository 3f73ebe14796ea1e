/**
 * Entry point of `npm run bench` (see spec/bench/README.md). The sources import their siblings as
 * `./x.js`; ts-node maps those to `./x.ts` through `ts-node.experimentalResolver` in tsconfig.json.
 */
import { main } from './main.js';

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
