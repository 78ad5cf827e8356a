/**
 * Dynamic configuration: the global document, tier defaults and tenant overrides, with versions,
 * history and watch. Not to be confused with ../config.ts, the hub's own settings.
 */

export {
  ConfigDocuments,
  type ConfigDocumentsOptions,
  type ConfigListener,
  type PutConfigInput,
  type TenantConfig,
} from "./config-documents.js";
export {
  type ConfigLimits,
  type ConfigObject,
  defaultConfigLimits,
  validateConfigDocument,
} from "./config-limits.js";
export {
  type ConfigScope,
  describeScope,
  globalScope,
  parseTenantId,
  parseTier,
  reservedTenantIds,
} from "./config-scope.js";
export type { ConfigDocument } from "./config-view.js";
export { mergePatch } from "./merge-patch.js";
export { builtinTierDefaults } from "./tier-defaults.js";
export { type ConfigWatchEvent, watchConfig } from "./watch-config.js";
