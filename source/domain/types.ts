export const roles = ['owner', 'admin', 'user'] as const;
export type Role = (typeof roles)[number];

export type UserRecord = {
	readonly name: string;
	readonly displayName: string;
	readonly passwordHash: string;
	readonly createdAt: string;
};

export type SessionRecord = {
	readonly id: string;
	readonly user: string;
	readonly createdAt: number;
	readonly lastUsedAt: number;
};

export type GroupRecord = {
	readonly id: number;
	readonly name: string;
	readonly owner: string;
	readonly createdAt: string;
};

export type MemberRecord = { readonly user: string; readonly role: Role };

export type MembershipSummary = {
	readonly group: GroupRecord;
	readonly role: Role;
	readonly members: number;
};

export type MessageRecord = {
	readonly id: number;
	readonly from: string;
	readonly to: string;
	/** The group's name for a group message, else null. */
	readonly group: string | null;
	readonly body: string;
	readonly date: string;
};

export type NewMessage = Omit<MessageRecord, 'id'>;
