import { randomUUID } from 'node:crypto';

// PROTOCOL.md §7.8: 1–64 characters of A-Z a-z 0-9 _ -, chosen by the client, one per message.
const sendIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

export const isValidSendId = (token: string): boolean => sendIdPattern.test(token);

/** A fresh Send-Id: a random v4 UUID without its dashes (122 random bits). */
export const newSendId = (): string => randomUUID().replaceAll('-', '');
