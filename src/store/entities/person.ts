import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, VarcharColumn } from '../columns.js';

/** A human, whatever platforms they use: roles, records and KPIs belong to the person. */
@Entity('people')
export class Person {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @VarcharColumn('display_name', 120)
  displayName!: string;

  @VarcharColumn('locale', 10, { nullable: true })
  locale!: string | null;

  @DateColumn('created_at')
  createdAt!: Date;
}
