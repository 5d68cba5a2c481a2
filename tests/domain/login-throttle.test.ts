import { InMemoryLoginThrottle } from '../../source/domain/login-throttle.js';
import { describeLoginThrottle } from '../contracts/login-throttle.contract.js';

describeLoginThrottle('in memory', async (limits) => ({
	throttle: new InMemoryLoginThrottle(limits),
	close: async () => undefined,
}));
