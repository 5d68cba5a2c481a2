export { App, type AppProps } from './components/App.js';
export { longConversationState, mountHarness, type Harness } from './bench-harness.js';
export {
	layoutMessage,
	layoutMessages,
	messageWindow,
	scrollMessages,
	type Row,
	type Scroll,
} from './layout/message-layout.js';
export { initialChatState, type ChatState } from './state/chat-state.js';
export { chatReducer } from './state/chat-reducer.js';
