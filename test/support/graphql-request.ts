/** A GraphQL response as the tests read it. */
export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/** POSTs a query over real HTTP. */
export async function graphqlRequest<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  options: { authorization?: string } = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.authorization ? { authorization: options.authorization } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}
