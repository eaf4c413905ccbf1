import { registerEnumType } from 'type-graphql';
import { Metric } from '../../core';

// core's constant is the one vocabulary: GraphQL shows its keys (VALID_ACC), resolvers receive its values (validAcc).
registerEnumType(Metric, {
  name: 'Metric',
  description: 'A run metric. Accuracies are in percent (0-100), as NAS-Bench-201 reports them; losses as reported.',
});

/** core's `Metric`, registered as GraphQL `Metric` (import it from here so the registration runs). */
export { Metric };
