import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';

/** The MCP registry's entry (server.json) must agree with package.json, or publishing is refused. */
const read = (file: string) => JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'));
const pkg = read('package.json') as { name: string; version: string; mcpName: string; files: string[]; bin: Record<string, string> };
const server = read('server.json') as {
  $schema: string;
  name: string;
  description: string;
  version: string;
  packages: Array<{
    registryType: string;
    identifier: string;
    version: string;
    transport: { type: string };
    environmentVariables: Array<{ name: string; choices?: string[]; default?: string }>;
  }>;
};

describe('server.json for the MCP registry', () => {
  it('names the npm package, its version and mcpName as package.json does', () => {
    expect(server.$schema).toMatch(/^https:\/\/static\.modelcontextprotocol\.io\/schemas\/[\d-]+\/server\.schema\.json$/);
    // The registry's name rule: reverse-DNS namespace, one slash, server name.
    expect(server.name).toMatch(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/);
    expect(server.name).toBe(pkg.mcpName);
    expect(server.version).toBe(pkg.version);
    expect(server.description.length).toBeGreaterThan(0);
    expect(server.description.length).toBeLessThanOrEqual(100);
    expect(server.packages).toHaveLength(1);
    expect(server.packages[0]).toMatchObject({ registryType: 'npm', identifier: pkg.name, version: pkg.version, transport: { type: 'stdio' } });
    expect(pkg.files).toContain('server.json');
    // `npx -y cairn-mcp` runs the bin named like the package.
    expect(Object.keys(pkg.bin)).toContain(pkg.name);
  });

  it('lists only settings Cairn accepts, with values it accepts', () => {
    for (const v of server.packages[0]!.environmentVariables) {
      expect(v.name).toMatch(/^CAIRN_/);
      for (const value of [...(v.choices ?? []), ...(v.default === undefined ? [] : [v.default])]) {
        expect(() => resolveConfig({ HOME: '/tmp', [v.name]: value }, []), `${v.name}=${value}`).not.toThrow();
      }
    }
    expect(() => resolveConfig({ HOME: '/tmp', CAIRN_EMBEDDINGS: 'onnx' }, [])).toThrow(/CAIRN_EMBEDDINGS/);
  });
});
