import { registerEnumType } from 'type-graphql';

/** Which values `top` ranks. */
export enum TopSourceEnum {
  MEASURED = 'MEASURED',
  PREDICTED = 'PREDICTED',
  ANY = 'ANY',
}
registerEnumType(TopSourceEnum, {
  name: 'TopSource',
  description:
    'MEASURED: stored records only; PREDICTED: the serving predictor over the whole (enumerable) space; ANY: records where they exist, predictions elsewhere.',
});
