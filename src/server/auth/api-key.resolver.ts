import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { ApiKeyRole } from '../../store';
import { createApiKey } from '../../store/api-key';
import type { RequestContext } from '../context.type';
import { CreatedApiKeyType } from './created-api-key.type';

/** API key writes: the same function as `nashub keys create`, which goes through here while a server holds the folder. */
@Resolver()
export class ApiKeyResolver {
  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => CreatedApiKeyType, {
    description:
      'Creates an API key (role admin) and returns its secret once. CONFLICT when the name is taken (revoked keys keep theirs).',
  })
  async createApiKey(
    @Arg('name', { description: 'Unique name of the key.' }) name: string,
    @Arg('role', { description: 'publisher | trainer | admin' }) role: string,
    @Ctx() ctx: RequestContext,
  ): Promise<CreatedApiKeyType> {
    const { key, info } = await createApiKey(ctx.store.dataSource.manager, { name, role });
    return { name: info.name, role: info.role, createdAt: info.createdAt, key };
  }
}
