/**
 * The game's exportToImportMap: for each good, the goods a factory of it imports.
 * Key order and input order are the API's (a JS object keeps string-key insertion order).
 * Inputs may repeat (the live map lists MERITIUM twice for MODULE_WARP_DRIVE_III); the graph
 * de-duplicates them, the file keeps them.
 */
export type SupplyChainMap = Record<string, string[]>;

/** A loaded supply chain: the map, where it came from, and a hash of its content. */
export interface SupplyChain {
  map: SupplyChainMap;
  /** `sha256:<hex>` of the canonical JSON of `map` (keys sorted, input lists as given): the plan's supplyChainHash. */
  hash: string;
  /** Absolute path of the file it was read from. */
  source: string;
}
