import { describe } from 'vitest';
import { describeAccounts } from './chat-store-accounts.contract.js';
import { describeAdmin } from './chat-store-admin.contract.js';
import { describeEdits } from './chat-store-edits.contract.js';
import { describeGroups } from './chat-store-groups.contract.js';
import { describeHealth } from './chat-store-health.contract.js';
import type { ChatStoreMaker } from './chat-store-kit.js';
import { describeMessages } from './chat-store-messages.contract.js';
import { describeReading } from './chat-store-reading.contract.js';
import { describeSearch } from './chat-store-search.contract.js';

export type { ChatStoreMaker } from './chat-store-kit.js';

/** The behaviour every ChatStore must have, whichever database stands behind it. */
export function describeChatStore(name: string, make: ChatStoreMaker): void {
	describe(`ChatStore contract: ${name}`, () => {
		describeAccounts(make);
		describeGroups(make);
		describeMessages(make);
		describeEdits(make);
		describeReading(make);
		describeSearch(make);
		describeAdmin(make);
		describeHealth(make);
	});
}
