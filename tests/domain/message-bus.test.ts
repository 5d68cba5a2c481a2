import { InProcessBus } from '../../source/domain/bus.js';
import { describeMessageBus } from '../contracts/message-bus.contract.js';

describeMessageBus('in process', { make: async () => new InProcessBus(), spansNodes: false });
