// Groups stdin lines with ErrorDNA and prints one group id per line (loghub-eval `--format lines`).
// Every line is analyzed online, in order, with the default options. A line is labelled with the
// pattern it ended up in: patterns that merged later (as the miner saw a position vary) count as one.
import { readFileSync } from "node:fs";
import { ErrorDNA } from "../dist/index.js";

const text = readFileSync(0, "utf8");
const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
let tick = 0;
// A fake clock keeps the run deterministic and skips the system call per line.
const dna = new ErrorDNA("loghub", { clock: { now: () => tick++ } });
const ids = lines.map((line) => dna.analyze(line).patternId);
const online = process.env.ERROR_DNA_ONLINE_LABELS === "1";
process.stdout.write(`${ids.map((id) => (online ? id : (dna.resolve(id) ?? id))).join("\n")}\n`);
