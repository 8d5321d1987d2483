import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntColumn, VarcharColumn } from '../columns.js';
import { Person } from './person.js';

@Entity('role_grants')
@Index('UQ_role_grants_person_role', ['personId', 'role'], { unique: true })
export class RoleGrant {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @IntColumn('person_id')
  personId!: number;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'FK_role_grants_person' })
  person?: Person;

  @VarcharColumn('role', 16)
  role!: string;

  @IntColumn('granted_by', { nullable: true })
  grantedBy!: number | null;

  @DateColumn('created_at')
  createdAt!: Date;
}
