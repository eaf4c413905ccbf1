import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kind, buildSchema, parse, validate, type DefinitionNode, type DocumentNode } from 'graphql';

const ROOT = join(__dirname, '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return path.endsWith('.md') ? [path] : [];
  });
}

/** Every ```graphql block of the README and docs/, with where it stands. */
function graphqlExamples(): Array<{ where: string; text: string }> {
  const files = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))];
  return files.flatMap((file) => {
    const markdown = readFileSync(file, 'utf8');
    return [...markdown.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => ({
      where: `${relative(ROOT, file)}:${markdown.slice(0, match.index).split('\n').length}`,
      text: match[1],
    }));
  });
}

/** One document per operation (a block may show several anonymous ones), each with the block's fragments. */
function operations(document: DocumentNode): DocumentNode[] {
  const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  return document.definitions
    .filter((d): d is DefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => ({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] }));
}

describe('GraphQL examples in the docs', () => {
  const schema = buildSchema(readFileSync(join(ROOT, 'schema.graphql'), 'utf8'));
  const examples = graphqlExamples();

  it('exist (the cookbook has them)', () => {
    expect(examples.filter((e) => e.where.startsWith('docs/graphql-cookbook.md')).length).toBeGreaterThan(5);
  });

  it('parse and validate against schema.graphql', () => {
    const problems: string[] = [];
    for (const example of examples) {
      let document: DocumentNode;
      try {
        document = parse(example.text);
      } catch (error) {
        problems.push(`${example.where}: ${(error as Error).message}`);
        continue;
      }
      for (const operation of operations(document)) {
        for (const error of validate(schema, operation)) problems.push(`${example.where}: ${error.message}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
