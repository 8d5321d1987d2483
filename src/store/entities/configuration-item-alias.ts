import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { IntColumn, VarcharColumn } from '../columns.js';
import { ConfigurationItem } from './configuration-item.js';

/** Another name of a configuration item (a host name, a service name); unique over all items, in lower case. */
@Entity('configuration_item_aliases')
@Index('UQ_configuration_item_aliases_alias_key', ['aliasKey'], { unique: true })
@Index('IDX_configuration_item_aliases_ci', ['ciId'])
export class ConfigurationItemAlias {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @IntColumn('ci_id')
  ciId!: number;

  @ManyToOne(() => ConfigurationItem, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ci_id', foreignKeyConstraintName: 'FK_configuration_item_aliases_ci' })
  ci?: ConfigurationItem;

  @VarcharColumn('alias', 100)
  alias!: string;

  @VarcharColumn('alias_key', 100)
  aliasKey!: string;
}
