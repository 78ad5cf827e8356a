// Shared by the packages' test suites only; each package lists this as a devDependency.
export { FakeClock, settle } from "./fake-clock.js";
export type { Clock, TimerHandle } from "./fake-clock.js";
export * from "./hub-process.js";
export { eventually } from "./eventually.js";
export { readmeExampleLines } from "./readme-example.js";
