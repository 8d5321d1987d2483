import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntColumn, VarcharColumn } from '../columns.js';
import { Person } from './person.js';

/**
 * A one-time code from `/ops link`, entered on another platform to join two accounts into one person.
 * Only a SHA-256 of the code is stored: the code itself is a secret shown once to its owner.
 */
@Entity('link_codes')
@Index('UQ_link_codes_code_hash', ['codeHash'], { unique: true })
@Index('IDX_link_codes_person', ['personId'])
export class LinkCode {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @VarcharColumn('code_hash', 64)
  codeHash!: string;

  @IntColumn('person_id')
  personId!: number;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'FK_link_codes_person' })
  person?: Person;

  /** The account that asked for the code: the code must be entered from another platform. */
  @VarcharColumn('platform', 16)
  platform!: string;

  @VarcharColumn('user_id', 64)
  userId!: string;

  @DateColumn('created_at')
  createdAt!: Date;

  @DateColumn('expires_at')
  expiresAt!: Date;

  @DateColumn('used_at', { nullable: true })
  usedAt!: Date | null;
}
