import type { ListSizes } from './list-sizes';

/**
 * Cost units. One unit is about one resolved field (a few microseconds of server CPU); work that costs much more than
 * a field is weighed by what it was measured to cost against fields (a forecast: milliseconds), so that maxComplexity
 * bounds the CPU a request can take, not only the fields it names.
 */
export const CostUnits = {
  /** Parsing and canonicalising one architecture text (architectures, sample, top, requestTraining). */
  PARSE: 10,
  /** One parametric-ensemble forecast of a learning curve, before its length (extrapolate, curveForecast). */
  FORECAST: 2_000,
  /** One curve point through a forecast (validation, window means, residuals). */
  CURVE_POINT: 1,
  /** One surrogate prediction (estimate, prediction): a share of a batched forward pass or a cache row. */
  PREDICTION: 20,
  /**
   * One database statement a resolver sends on its own, not batched with the rest of the request (root lists,
   * lookups by index, mutations): hundreds of microseconds on PGlite, a pool connection on PostgreSQL.
   */
  STATEMENT: 1_000,
} as const;

/** What a field's cost can depend on before execution. */
export interface CostContext {
  /** The field's arguments, coerced (defaults applied). */
  args: Record<string, unknown>;
  /** The arguments of the field that returned the field's parent object (a connection's `first` for its `edges`). */
  parentArgs: Record<string, unknown>;
  /** The search space named by a literal `space` argument on the way down, if any. */
  space: string | undefined;
  /** What the store and the schema hold now. */
  sizes: ListSizes;
}

/** The cost of one field beyond the unit every resolved field costs. */
export interface FieldCost {
  /**
   * Items of a list field: exact where arguments say it, else a bound from the store, the space or the schema. Its
   * selection is paid once per item; during execution the budget counts the items that really come back.
   */
  items?(context: CostContext): number;
  /** Work of one call that its arguments say (a forecast of a given curve, parsing given architectures). */
  units?(args: Record<string, unknown>): number;
  /** Work of one call known only as a bound before execution; the resolver charges the real amount as it runs. */
  boundUnits?(context: CostContext): number;
}

const length = (value: unknown): number => (Array.isArray(value) ? value.length : value == null ? 0 : 1);
const count = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? Math.max(0, value) : fallback;

/** The runs and jobs connections' page size when `first` is not given (their GraphQL default). */
const DEFAULT_PAGE = 100;

/**
 * Seeds behind one record, external ids of one architecture, predictor versions of a space: no argument or store
 * fact bounds these before execution, so the estimate assumes a typical count and the request's budget counts the
 * real one as the lists arrive (a store with 10,000 predictor versions still cannot return them 20 times over).
 */
const TYPICAL = { seeds: 3, externalIds: 2, predictors: 20, trajectoryPoints: 30, releases: 20 } as const;

/** `table`'s page size: `first`, else its default (1,000). */
const tablePage = (args: Record<string, unknown>) => count(args.first, 1_000);
/** Architectures of a `table` page: the page size, or fewer archs when they are given. */
const tableItems = (args: Record<string, unknown>) =>
  args.archs == null ? tablePage(args) : Math.min(length(args.archs), tablePage(args));

const archsItems = ({ args }: CostContext) => length(args.archs);
const parseArchs = (args: Record<string, unknown>) => length(args.archs) * CostUnits.PARSE;
const epochs = ({ sizes }: CostContext) => sizes.maxEpochs;
const page = ({ parentArgs }: CostContext) => count(parentArgs.first, DEFAULT_PAGE);
const statements = (n: number) => () => n * CostUnits.STATEMENT;

/**
 * Every list field and every CPU-heavy field of the schema, by `Type.field`. A test walks the schema and fails when a
 * list field is missing here, so a new list cannot slip past the limits at a cost of one.
 */
export const FIELD_COSTS: Readonly<Record<string, FieldCost>> = {
  'Query.architecture': { units: statements(1) },
  'Query.architectures': { items: archsItems, units: parseArchs },
  'Query.sample': { items: ({ args }) => count(args.n, 0), units: (args) => count(args.n, 0) * CostUnits.PARSE },
  'Query.top': {
    items: ({ args }) => count(args.k, 0),
    units: (args) => CostUnits.STATEMENT + count(args.k, 0) * CostUnits.PARSE,
  },
  'Query.datasets': { items: ({ sizes }) => sizes.datasets },
  'Query.protocols': { items: ({ sizes }) => sizes.protocols },
  'Query.spaces': { items: ({ sizes }) => sizes.spaces, units: statements(1) },
  'Query.predictors': { items: () => TYPICAL.predictors, units: statements(1) },
  'Query.releases': { items: () => TYPICAL.releases, units: statements(1) },
  // manifest.json and the four data files (records and curves, Parquet and CSV).
  'Release.files': { items: () => 5 },
  'Query.table': {
    units: (args) => CostUnits.STATEMENT + Math.min(length(args.archs), tablePage(args)) * CostUnits.PARSE,
  },
  'RecordTable.archs': { items: ({ parentArgs }) => tableItems(parentArgs) },
  'RecordTable.ids': { items: ({ parentArgs }) => tableItems(parentArgs) },
  'RecordTable.columns': { items: ({ parentArgs }) => length(parentArgs.metrics) },
  // The column's parent (columns) has no arguments; the page size is typical here and counted for real as it runs.
  'TableColumn.values': { items: () => DEFAULT_PAGE * 10 },
  'Query.runs': { units: statements(2) },
  'Query.jobs': { units: statements(2) },
  'Query.job': { units: statements(1) },
  'Query.extrapolate': {
    units: (args) => CostUnits.FORECAST + (length(args.curve) + length(args.trainCurve)) * CostUnits.CURVE_POINT,
  },
  'RunConnection.edges': { items: page },
  'JobConnection.edges': { items: page },
  'Architecture.externalIds': { items: () => TYPICAL.externalIds },
  'Architecture.isomorphs': { items: ({ sizes, space }) => sizes.isomorphs(space) },
  'Architecture.estimate': { units: () => CostUnits.PREDICTION },
  'Architecture.prediction': { units: () => CostUnits.PREDICTION },
  'Architecture.curveForecast': {
    units: () => CostUnits.FORECAST,
    boundUnits: ({ sizes }) => sizes.maxEpochs * CostUnits.CURVE_POINT,
  },
  'Record.seeds': { items: () => TYPICAL.seeds },
  'Curve.epochs': { items: epochs },
  'Curve.trainAcc': { items: epochs },
  'Curve.validAcc': { items: epochs },
  'Curve.testAcc': { items: epochs },
  'Curve.trainLoss': { items: epochs },
  'Curve.validLoss': { items: epochs },
  'Curve.testLoss': { items: epochs },
  'Curve.epochSeconds': { items: epochs },
  'SearchSpace.encodings': { items: ({ sizes }) => sizes.encodings },
  'Mutation.requestTraining': {
    items: ({ args }) => length(args.archs) * Math.max(1, length(args.seeds)),
    units: (args) => CostUnits.STATEMENT + parseArchs(args),
  },
  'Mutation.createProtocol': { units: statements(1) },
  'Mutation.fitPredictor': { units: statements(1) },
  'Mutation.cancelJob': { units: statements(1) },
  'Query.searchRun': { units: statements(2) },
  'Query.searchRuns': { units: statements(2) },
  'SearchRunConnection.edges': { items: page },
  'SearchRun.trials': { units: statements(2) },
  'SearchTrialConnection.edges': { items: page },
  'SearchRun.trajectory': { items: () => TYPICAL.trajectoryPoints, units: statements(2) },
  'SearchRun.best': { units: statements(2) },
  'SearchRun.budgetUsed': { units: statements(1) },
  'SearchTrial.curve': { items: epochs },
  'SearchAsk.trials': { items: ({ parentArgs }) => count(parentArgs.n, 1) },
  // Each is one transaction of several statements under the run's lock; ask and tell may also fit the run's predictor.
  'Mutation.createSearchRun': { units: statements(4) },
  'Mutation.ask': { units: statements(10) },
  'Mutation.tell': { units: statements(8) },
  'Mutation.heartbeat': { units: statements(4) },
  'Mutation.failTrial': { units: statements(6) },
  'Mutation.stopSearchRun': { units: statements(3) },
  '__Schema.types': { items: ({ sizes }) => sizes.introspection.types },
  '__Schema.directives': { items: ({ sizes }) => sizes.introspection.directives },
  '__Type.fields': { items: ({ sizes }) => sizes.introspection.fields },
  '__Type.inputFields': { items: ({ sizes }) => sizes.introspection.fields },
  '__Type.enumValues': { items: ({ sizes }) => sizes.introspection.fields },
  '__Type.interfaces': { items: ({ sizes }) => sizes.introspection.interfaces },
  '__Type.possibleTypes': { items: ({ sizes }) => sizes.introspection.interfaces },
  '__Field.args': { items: ({ sizes }) => sizes.introspection.args },
  '__Directive.args': { items: ({ sizes }) => sizes.introspection.args },
  '__Directive.locations': { items: ({ sizes }) => sizes.introspection.locations },
};
