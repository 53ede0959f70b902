// The analyzer compiled from the project's own data files, as the service compiles it.
import { loadAnalyzer } from '../../src/config/data-files';

const root = new URL('../../', import.meta.url).pathname;
export const analyzerPromise = loadAnalyzer(`${root}data/entities.yml`, `${root}data/lexicon.yml`);
