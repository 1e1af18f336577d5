import type { Engine } from '../core/engine/engine.js';
import type { CliValues } from './main.js';

/** `onchain-sql ask`: (being written with the core's ask()). */
export async function askCommand(_values: CliValues, _question: string, _open: (v: CliValues) => Promise<Engine>): Promise<number> {
  throw new Error('ask: not written yet');
}
