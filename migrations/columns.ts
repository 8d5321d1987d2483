import { TableForeignKey, type TableColumnOptions } from 'typeorm';

// Column shapes every migration uses, matching the entity helpers in src/store/columns.ts: timestamps
// are ISO strings (varchar 24) so that one schema reads the same on SQLite and PostgreSQL.

export const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };

export const iso = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '24', isNullable });

export const varchar = (name: string, length: number, isNullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable,
});

export const text = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'text', isNullable });

export const int = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable });

export const personFk = (name: string, column: string, onDelete = 'NO ACTION'): TableForeignKey =>
  new TableForeignKey({ name, columnNames: [column], referencedTableName: 'people', referencedColumnNames: ['id'], onDelete });
