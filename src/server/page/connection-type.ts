import { Field, Int, ObjectType, type ClassType } from 'type-graphql';

/** Relay page info. */
@ObjectType('PageInfo')
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

/** A Relay edge: a node and its cursor. */
export interface Edge<TNode> {
  cursor: string;
  node: TNode;
}

/** A Relay connection: one page of edges, where the next starts, and how many match over all pages. */
export interface Connection<TNode> {
  edges: Array<Edge<TNode>>;
  pageInfo: PageInfo;
  totalCount: number;
}

/**
 * The GraphQL `<Name>Connection` and `<Name>Edge` types of a paged list of `nodeType`, so every list pages alike;
 * `plural` names what `totalCount` counts in its description.
 */
export function connectionType<TNode>(
  name: string,
  nodeType: () => ClassType,
  plural: string,
): new () => Connection<TNode> {
  @ObjectType(`${name}Edge`)
  class EdgeType implements Edge<TNode> {
    @Field()
    cursor: string;

    @Field(nodeType)
    node: TNode;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType implements Connection<TNode> {
    @Field(() => [EdgeType])
    edges: EdgeType[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int, { description: `${plural} matching the filter, over all pages.` })
    totalCount: number;
  }
  return ConnectionType;
}
