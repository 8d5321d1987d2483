import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntColumn, VarcharColumn } from '../columns.js';
import { Person } from './person.js';

/** Someone on call instead of the rotation at one level for a while (`/oncall override`). */
@Entity('oncall_overrides')
@Index('IDX_oncall_overrides_ends', ['endsAt'])
export class OnCallOverride {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @VarcharColumn('level', 16)
  level!: string;

  @IntColumn('person_id')
  personId!: number;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'FK_oncall_overrides_person' })
  person?: Person;

  @DateColumn('starts_at')
  startsAt!: Date;

  @DateColumn('ends_at')
  endsAt!: Date;

  /** 1 once the person was told their override shift began. */
  @IntColumn('announced', { default: 0 })
  announced!: number;

  @IntColumn('created_by', { nullable: true })
  createdBy!: number | null;

  @DateColumn('created_at')
  createdAt!: Date;
}
