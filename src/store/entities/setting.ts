import { Entity, PrimaryColumn } from 'typeorm';
import { DateColumn, IntColumn, TextColumn } from '../columns.js';

@Entity('settings')
export class Setting {
  @PrimaryColumn({ name: 'key', type: 'varchar', length: 64 })
  key!: string;

  @TextColumn('value')
  value!: string;

  @IntColumn('updated_by', { nullable: true })
  updatedBy!: number | null;

  @DateColumn('updated_at')
  updatedAt!: Date;
}
