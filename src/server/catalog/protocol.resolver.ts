import { Args, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { ErrorCode, NashubError } from '../../core';
import { ApiKeyRole } from '../../store';
import { createProtocol } from '../../store/catalog/catalog';
import type { RequestContext } from '../context.type';
import { CreateProtocolArgs } from './create-protocol.args';
import { ProtocolType } from './catalog.type';

/** Protocol writes. */
@Resolver()
export class ProtocolResolver {
  @Authorized(ApiKeyRole.PUBLISHER)
  @Mutation(() => ProtocolType, {
    description:
      'Creates a protocol (role publisher or admin). Idempotent by name: when the name is stored with the same epochs, the ' +
      'stored protocol is returned unchanged; with other epochs the call fails with CONFLICT.',
  })
  async createProtocol(@Args() args: CreateProtocolArgs, @Ctx() ctx: RequestContext): Promise<ProtocolType> {
    // Stored exactly as given or refused by the one name rule (createProtocol): never trimmed into another name.
    const name = args.name;
    if (args.epochs < 1) {
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `epochs must be at least 1, got ${args.epochs}`, {
        details: { field: 'epochs', value: args.epochs },
      });
    }
    const row = await ctx.store.dataSource.transaction(async (manager) => {
      const { row } = await createProtocol(manager, {
        name,
        epochs: args.epochs,
        hyperparameters: args.hyperparameters ?? {},
        description: args.description ?? '',
      });
      if (row.epochs !== args.epochs) {
        throw new NashubError(
          ErrorCode.CONFLICT,
          `protocol ${name} is stored with ${row.epochs} epochs, not ${args.epochs}`,
          {
            details: { field: 'epochs', name, storedEpochs: row.epochs, epochs: args.epochs },
          },
        );
      }
      return row;
    });
    await ctx.loaders.refreshCatalog();
    return row;
  }
}
