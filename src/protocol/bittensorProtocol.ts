/**
 * Engine requests and notifications of the Bittensor half. Method names start with `bittensor.`.
 * (Filled in by the Bittensor engine; kept separate so that each domain owns its own protocol file.)
 */
export interface BittensorMethods {}

export const BITTENSOR_METHODS: readonly (keyof BittensorMethods & string)[] = [];

export type BittensorNotification = never;
