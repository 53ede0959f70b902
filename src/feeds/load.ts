// Reads feeds.yml and validates it; every error names the file, the line and the field
// (the shared YAML reader in src/config/yaml.ts does the locating).
import { parseYamlWith, readYamlFile } from '../config/yaml';
import { feedsFileSchema, type FeedDefinition } from './schema';

export type { FeedDefinition } from './schema';

export async function loadFeedsFile(path: string): Promise<FeedDefinition[]> {
  return (await readYamlFile(feedsFileSchema, path, 'feeds file')).feeds;
}

/** Pure: text in, feeds out; throws NW_CONFIG_INVALID with one `file:line: field: problem` line per problem. */
export function parseFeedsYaml(text: string, fileName: string): FeedDefinition[] {
  return parseYamlWith(feedsFileSchema, text, fileName).feeds;
}
