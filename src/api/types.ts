/**
 * Convenient names for the API types. Every one is taken from the types generated from the
 * official OpenAPI spec (src/api/generated/spacetraders.ts); never hand-copy an API type.
 */
import type { components, operations } from './generated/spacetraders.js';

type S = components['schemas'];

export type Agent = S['Agent'];
export type Contract = S['Contract'];
export type ContractDeliverGood = S['ContractDeliverGood'];
export type Faction = S['Faction'];
export type FactionSymbol = S['FactionSymbol'];
export type Ship = S['Ship'];
export type ShipNav = S['ShipNav'];
export type ShipNavStatus = S['ShipNavStatus'];
export type ShipNavFlightMode = S['ShipNavFlightMode'];
export type FlightMode = S['ShipNavFlightMode'];
export type ShipNavRoute = S['ShipNavRoute'];
export type ShipCargo = S['ShipCargo'];
export type ShipCargoItem = S['ShipCargoItem'];
export type ShipFuel = S['ShipFuel'];
export type ShipType = S['ShipType'];
export type ShipConditionEvent = S['ShipConditionEvent'];
export type Cooldown = S['Cooldown'];
export type Market = S['Market'];
export type MarketTradeGood = S['MarketTradeGood'];
export type TradeType = MarketTradeGood['type'];
export type MarketTransaction = S['MarketTransaction'];
export type TradeGood = S['TradeGood'];
export type TradeSymbol = S['TradeSymbol'];
export type SupplyLevel = S['SupplyLevel'];
export type ActivityLevel = S['ActivityLevel'];
export type Waypoint = S['Waypoint'];
export type WaypointType = S['WaypointType'];
export type WaypointTraitSymbol = S['WaypointTraitSymbol'];
export type System = S['System'];
export type SystemWaypoint = S['SystemWaypoint'];
export type Shipyard = S['Shipyard'];
export type ShipyardShip = S['ShipyardShip'];
export type ShipyardTransaction = S['ShipyardTransaction'];
export type Meta = S['Meta'];

/** Names of the operations in the spec, e.g. 'get-market', 'purchase-cargo'. */
export type OperationId = keyof operations;

type SuccessResponse<R> = 200 extends keyof R ? R[200] : 201 extends keyof R ? R[201] : never;
/** The whole JSON body of an operation's success response (200 or 201). */
export type ResponseBody<K extends OperationId> = SuccessResponse<operations[K]['responses']> extends {
  content: { 'application/json': infer B };
}
  ? B
  : never;
/** The `data` payload of an operation's success response: what the client methods return. */
export type ResponseData<K extends OperationId> = ResponseBody<K> extends { data: infer D } ? D : never;
/** The JSON request body of an operation. */
export type RequestBody<K extends OperationId> = NonNullable<operations[K]['requestBody']> extends {
  content: { 'application/json': infer B };
}
  ? B
  : never;

/** GET / (no `data` wrapper): server status, version and resetDate. */
export type ServerStatus = ResponseBody<'get-status'>;
export type RegisterRequest = RequestBody<'register'>;
export type RegisterResult = ResponseData<'register'>;
export type NavigateResult = ResponseData<'navigate-ship'>;
export type FlightModeResult = ResponseData<'patch-ship-nav'>;
export type OrbitResult = ResponseData<'orbit-ship'>;
export type DockResult = ResponseData<'dock-ship'>;
export type RefuelResult = ResponseData<'refuel-ship'>;
export type PurchaseCargoResult = ResponseData<'purchase-cargo'>;
export type SellCargoResult = ResponseData<'sell-cargo'>;
export type TransferCargoResult = ResponseData<'transfer-cargo'>;
export type JettisonResult = ResponseData<'jettison'>;
export type PurchaseShipResult = ResponseData<'purchase-ship'>;
export type AcceptContractResult = ResponseData<'accept-contract'>;
export type DeliverContractResult = ResponseData<'deliver-contract'>;
export type FulfillContractResult = ResponseData<'fulfill-contract'>;
export type JumpResult = ResponseData<'jump-ship'>;
export type JumpGate = ResponseData<'get-jump-gate'>;
export type ChartResult = ResponseData<'create-chart'>;
export type Construction = ResponseData<'get-construction'>;
export type SupplyConstructionResult = ResponseData<'supply-construction'>;
export type SupplyChain = ResponseData<'get-supply-chain'>;
export type Survey = S['Survey'];
export type ShipMount = S['ShipMount'];
export type ShipModule = S['ShipModule'];
export type CreateSurveyResult = ResponseData<'create-survey'>;
export type ExtractResult = ResponseData<'extract-resources'>;
export type ExtractWithSurveyResult = ResponseData<'extract-resources-with-survey'>;
export type SiphonResult = ResponseData<'siphon-resources'>;
export type RefineResult = ResponseData<'ship-refine'>;
export type RefineProduce = RequestBody<'ship-refine'>['produce'];
export type NegotiateContractResult = ResponseData<'negotiateContract'>;
/** `exportToImportMap`: good → the goods its factories import. */
export type ExportToImportMap = SupplyChain['exportToImportMap'];
