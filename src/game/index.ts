/** The game's pure formulas, shared by the simulator (src/sim) and the planner. */
export * from './nav.js';
export * from './market.js';
