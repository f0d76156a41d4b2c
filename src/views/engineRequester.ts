import type { EngineMethod, ParamsOf, ResultOf } from '../protocol/engineProtocol';

/** The one thing views and commands need from the engine: ask it something. (EngineClient provides it.) */
export interface EngineRequester {
  request<M extends EngineMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
}
