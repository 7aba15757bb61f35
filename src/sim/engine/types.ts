/** The engine's request/response contract with the HTTP layer. */

export interface EngineRequest {
  /** The official spec's operationId, e.g. "get-market". */
  operationId: string;
  /** The raw Authorization bearer token, if any (without "Bearer "). */
  token?: string;
  /** Path parameters by the spec's names (systemSymbol, waypointSymbol, shipSymbol, contractId, ...). */
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  /** Parsed JSON body (undefined when none). */
  body: unknown;
}

export interface EngineResponse {
  status: number;
  /** Exactly the JSON the API returns: `{data, meta?}` or `{error: {message, code, data?}}`. */
  body: unknown;
}
