import { registerEnumType } from 'type-graphql';
import { SearchRunEventKind, SearchRunMode, SearchRunStatus, SearchTrialState } from '../../store/search';

registerEnumType(SearchRunMode, {
  name: 'SearchRunMode',
  description:
    "TABLE: simulated; each asked trial carries the stored record's value and simulated cost (`simulated`), which the worker tells back. " +
    'EXTERNAL: workers evaluate however they like (train on their own GPUs) and tell value and cost. TRAINING: nashub’s trainer trains ' +
    'what has no record, and the server tells the run itself.',
});
registerEnumType(SearchRunStatus, {
  name: 'SearchRunStatus',
  description:
    'RUNNING; FINISHED (the budget is spent, or the strategy has nothing left to ask, and every trial is settled); STOPPED (stopSearchRun).',
});
registerEnumType(SearchTrialState, {
  name: 'SearchTrialState',
  description:
    'ASKED (handed to a worker), RUNNING (the worker sent a heartbeat), TOLD, FAILED (failTrial) or EXPIRED (its lease lapsed; the same ' +
    'architecture is asked again as a new trial).',
});
registerEnumType(SearchRunEventKind, { name: 'SearchRunEventKind', description: 'What happened to a search run.' });

export { SearchRunEventKind, SearchRunMode, SearchRunStatus, SearchTrialState };
