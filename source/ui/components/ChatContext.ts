import { createContext } from 'react';
import type { ActionContext } from '../actions/action-context.js';
import type { ChatStore } from '../state/chat-store.js';

/** The state store (read through `useChatState`). */
export const ChatStoreContext = createContext<ChatStore | undefined>(undefined);

/** The client, dispatch and quit, for the actions in ../actions (through `useChatActions`). */
export const ChatActionsContext = createContext<ActionContext | undefined>(undefined);
