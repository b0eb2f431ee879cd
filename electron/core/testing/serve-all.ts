import { ApiError } from '#shared/api/errors';
import type { Client } from '#shared/transport/client';

/** A window calling next until nobody waits for it, serving each ticket; the numbers it called, in order. */
export async function serveAll(client: Client): Promise<string[]> {
  const called: string[] = [];
  for (;;) {
    let ticket;
    try {
      ticket = (await client.call('queue.callNext', {})).current!;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'NOT_FOUND') return called;
      throw err;
    }
    called.push(ticket.ticketNo);
    await client.call('queue.start', { ticketId: ticket.id });
    await client.call('queue.end', { ticketId: ticket.id, outcome: 'completed' });
  }
}
