import { Column, type ValueTransformer } from 'typeorm';

// Timestamps are stored as ISO-8601 UTC strings: they sort correctly as text and read the same on
// SQLite and PostgreSQL, so one set of entities and migrations serves both.
const isoDate: ValueTransformer = {
  to: (value: Date | null | undefined) => (value instanceof Date ? value.toISOString() : value ?? null),
  from: (value: string | null) => (value === null ? null : new Date(value)),
};

export const ISO_LENGTH = 24;

export function DateColumn(name: string, options: { nullable?: boolean } = {}): PropertyDecorator {
  return Column({ name, type: 'varchar', length: ISO_LENGTH, nullable: options.nullable ?? false, transformer: isoDate });
}

export function TextColumn(name: string, options: { nullable?: boolean } = {}): PropertyDecorator {
  return Column({ name, type: 'text', nullable: options.nullable ?? false });
}

export function VarcharColumn(name: string, length: number, options: { nullable?: boolean } = {}): PropertyDecorator {
  return Column({ name, type: 'varchar', length, nullable: options.nullable ?? false });
}

export function IntColumn(name: string, options: { nullable?: boolean; default?: number } = {}): PropertyDecorator {
  return Column({ name, type: 'integer', nullable: options.nullable ?? false, default: options.default });
}
