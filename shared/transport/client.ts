import type { MethodName, ParamsOf, ResultOf } from '../api/contract';
import { ApiError } from '../api/errors';
import type { CoreEvent } from '../api/events';
import type { Transport } from './transport';

/** The one typed client the UI uses, over whichever transport it was given. */
export interface Client {
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  onEvent(listener: (event: CoreEvent) => void): () => void;
}

export function createClient(transport: Transport): Client {
  return {
    async call(method, params) {
      const envelope = await transport.invoke(method, params);
      if (!envelope.ok) throw ApiError.fromData(envelope.error);
      return envelope.value as never;
    },
    onEvent: (listener) => transport.subscribe(listener),
  };
}
