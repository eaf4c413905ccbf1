import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { MetricName } from '../../core';
import { PageInfo } from '../page/connection-type';
import { Metric } from './metric.enum';

/** One metric's values of a table page, aligned with the page's `archs`. */
@ObjectType('TableColumn', {
  description: "A metric's values, aligned with the table's archs; null where not measured.",
})
export class TableColumnType {
  @Field(() => Metric)
  metric: MetricName;

  @Field(() => [Float], { nullable: 'items', description: 'Percent for accuracies, as Record reports them.' })
  values: Array<number | null>;
}

/** A page of records as columns: what `table` returns. */
@ObjectType('RecordTable', {
  description:
    "Final-epoch records of many architectures as parallel arrays (one entry per architecture), read in one SQL statement per page: a sweep's shape.",
})
export class RecordTableType {
  @Field({ description: 'Dataset name.' })
  dataset: string;

  @Field({ description: 'Protocol name (the default protocol when none was given).' })
  protocol: string;

  @Field(() => Int, { description: "The epoch the values are at: the protocol's last." })
  epoch: number;

  @Field(() => [String], { description: 'Canonical text of each architecture.' })
  archs: string[];

  @Field(() => [ID], { description: "Each architecture's id (Architecture.id)." })
  ids: string[];

  @Field(() => [TableColumnType], { description: 'One column per requested metric, in the requested order.' })
  columns: TableColumnType[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
