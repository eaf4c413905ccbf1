import { Check, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { sqlInList } from './sql-in-list';

/** Roles a key can carry, weakest first. */
export const ApiKeyRole = { PUBLISHER: 'publisher', TRAINER: 'trainer', ADMIN: 'admin' } as const;
/** One of {@link ApiKeyRole}'s values. */
export type ApiKeyRoleValue = (typeof ApiKeyRole)[keyof typeof ApiKeyRole];

/** An API key; only its hash is stored. */
@Entity('api_key')
@Check('api_key_role_check', `role IN (${sqlInList(ApiKeyRole)})`)
export class ApiKeyEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('text', { unique: true })
  name: string;

  @Column('text', { name: 'key_hash', unique: true })
  keyHash: string;

  @Column('text')
  role: ApiKeyRoleValue;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()', insert: false, update: false })
  createdAt: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
