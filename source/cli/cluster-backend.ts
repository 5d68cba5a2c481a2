import type { ChatBackend } from '../server/backend.js';
import type { BackendChoice } from './backends.js';

/** PostgreSQL, with Redis between the nodes when `busUrl` is given. */
export async function openClusterBackend(
	choice: BackendChoice & { readonly storeUrl: string },
): Promise<ChatBackend> {
	throw new Error(`cluster mode is being wired: ${choice.storeUrl}`);
}
