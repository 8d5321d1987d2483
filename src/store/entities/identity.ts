import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntColumn, VarcharColumn } from '../columns.js';
import { Person } from './person.js';

/** One platform account (`slack:U123`) of a person. */
@Entity('identities')
@Index('UQ_identities_platform_user', ['platform', 'userId'], { unique: true })
export class Identity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @IntColumn('person_id')
  personId!: number;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'FK_identities_person' })
  person?: Person;

  @VarcharColumn('platform', 16)
  platform!: string;

  @VarcharColumn('user_id', 64)
  userId!: string;

  @DateColumn('created_at')
  createdAt!: Date;
}
