// Shared by the packages' test suites only; each package lists this as a devDependency.
export { FakeClock, settle } from "./fake-clock.js";
export type { Clock, TimerHandle } from "./fake-clock.js";
export * from "./hub-process.js";
