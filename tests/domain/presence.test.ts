import { LocalPresence } from '../../source/domain/presence.js';
import { describePresence } from '../contracts/presence.contract.js';

describePresence('local', {
	spansNodes: false,
	make: async () => ({ presence: new LocalPresence(), kill: async () => undefined }),
});
