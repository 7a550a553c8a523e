/**
 * What Cairn's tool catalogue costs a client: bytes per tool as `tools/list` sends it, split into
 * the description (name and description), the input schema and the output schema, with totals
 * and tokens (≈ bytes / 4). The model-visible part is what clients put in front of the model:
 * name, description and input schema. Prints JSON, then a markdown table.
 * Usage: node dist/scripts/catalogue.js [--toolsets memory,episodes] [--json]
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { App } from '../src/app.js';
import { resolveConfig } from '../src/config/index.js';
import { createMcpServer } from '../src/server/mcp.js';

/** Budgets the catalogue is held to (bytes): what the model sees with every toolset, and the whole `tools/list` result. */
export const CATALOGUE_BUDGET = { modelVisibleBytes: 16_000, toolsListBytes: 40_000 } as const;

/** One tool's share of `tools/list`, in UTF-8 bytes of its JSON. */
export interface ToolCost {
  name: string;
  /** Name and description. */
  description: number;
  input: number;
  output: number;
  /** `{name, description, inputSchema}`: what a client shows the model. */
  model_visible: number;
  /** The whole tool entry (title and annotations included). */
  total: number;
}

/** The whole catalogue's cost. */
export interface CatalogueCost {
  toolsets: string;
  tools: ToolCost[];
  totals: {
    description: number;
    input: number;
    output: number;
    model_visible: number;
    model_visible_tokens: number;
    tools_list: number;
    tools_list_tokens: number;
  };
  /** Length of the `initialize` instructions, in characters. */
  instructions_chars: number;
}

const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v) ?? '', 'utf8');

/** Measures a `tools/list` result. */
export function measureTools(tools: Tool[], toolsets = 'all', instructions = ''): CatalogueCost {
  const rows = tools.map((t) => ({
    name: t.name,
    description: bytes(t.name) + bytes(t.description ?? ''),
    input: bytes(t.inputSchema),
    output: t.outputSchema ? bytes(t.outputSchema) : 0,
    model_visible: bytes({ name: t.name, description: t.description, inputSchema: t.inputSchema }),
    total: bytes(t),
  }));
  const sum = (k: keyof Omit<ToolCost, 'name'>) => rows.reduce((a, r) => a + r[k], 0);
  const modelVisible = sum('model_visible');
  const toolsList = bytes({ tools });
  return {
    toolsets,
    tools: rows,
    totals: {
      description: sum('description'),
      input: sum('input'),
      output: sum('output'),
      model_visible: modelVisible,
      model_visible_tokens: Math.round(modelVisible / 4),
      tools_list: toolsList,
      tools_list_tokens: Math.round(toolsList / 4),
    },
    instructions_chars: instructions.length,
  };
}

/** Lists the tools of a real McpServer (no database needed: listing never touches the app) through the SDK client. */
export async function listCatalogue(toolsets = 'all'): Promise<{ tools: Tool[]; instructions: string }> {
  const config = resolveConfig({ CAIRN_HOME: '/nonexistent-cairn-catalogue', CAIRN_TOOLSETS: toolsets, CAIRN_EMBEDDINGS: 'hashing' }, []);
  const never = new Promise<App>(() => undefined);
  const server = createMcpServer(never, { namespace: 'catalogue', config });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'catalogue', version: '1.0.0' });
  await server.connect(b);
  await client.connect(a);
  const { tools } = await client.listTools();
  const instructions = client.getInstructions() ?? '';
  await client.close();
  await server.close();
  return { tools, instructions };
}

/** The markdown table of a measurement. */
export function markdownTable(c: CatalogueCost): string {
  const kb = (n: number) => (n / 1000).toFixed(1);
  const lines = ['| tool | description | input | output | model-visible | total |', '|---|---:|---:|---:|---:|---:|'];
  for (const r of c.tools) lines.push(`| \`${r.name}\` | ${r.description} | ${r.input} | ${r.output} | ${r.model_visible} | ${r.total} |`);
  const t = c.totals;
  lines.push(`| **all ${c.tools.length}** | ${t.description} | ${t.input} | ${t.output} | ${t.model_visible} | ${t.tools_list} |`);
  lines.push('');
  lines.push(
    `Model-visible ${kb(t.model_visible)} KB ≈ ${t.model_visible_tokens} tokens; whole \`tools/list\` ${kb(t.tools_list)} KB ≈ ${t.tools_list_tokens} tokens; instructions ${c.instructions_chars} characters.`,
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--toolsets');
  const toolsets = i > 0 ? (process.argv[i + 1] ?? 'all') : 'all';
  const { tools, instructions } = await listCatalogue(toolsets);
  const cost = measureTools(tools, toolsets, instructions);
  process.stdout.write(`${JSON.stringify(cost, null, 2)}\n`);
  if (!process.argv.includes('--json')) process.stdout.write(`\n${markdownTable(cost)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
