import { JoinColumn, ManyToOne } from 'typeorm';
import { Person } from './person.js';

/**
 * A relation to the person whose id is in `column`, with the foreign key named as the migration named
 * it (`FK_<table>_<role>`), so that entities and migrations agree (test/integration/schema*.test.ts).
 */
export function PersonRef(column: string, foreignKey: string): PropertyDecorator {
  const join = JoinColumn({ name: column, foreignKeyConstraintName: foreignKey });
  const relation = ManyToOne(() => Person);
  return (target, property) => {
    join(target, property);
    relation(target, property);
  };
}
