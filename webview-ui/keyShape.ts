// A first look at a pasted key, so that the warning appears while the person is still on the field.
// The host's check is the authoritative one; this only spares a round trip.

const aiProviders: ReadonlyArray<{ pattern: RegExp; name: string }> = [
  { pattern: /^sk-ant-/, name: 'Anthropic (Claude)' },
  { pattern: /^sk-(proj|svcacct|admin)-/, name: 'OpenAI (Codex)' },
  { pattern: /^sk-[A-Za-z0-9]{20,}$/, name: 'OpenAI (Codex)' },
  { pattern: /^AIza[0-9A-Za-z_-]{20,}$/, name: 'Google (Gemini)' },
  { pattern: /^xai-/, name: 'xAI (Grok)' },
];

export type KeyShape =
  | { kind: 'empty' }
  | { kind: 'personal' }
  | { kind: 'aiProvider'; provider: string }
  | { kind: 'other' };

export function keyShape(raw: string): KeyShape {
  const key = raw.trim();
  if (key === '') return { kind: 'empty' };
  if (key.startsWith('pc_')) return { kind: 'personal' };
  const provider = aiProviders.find((candidate) => candidate.pattern.test(key));
  return provider ? { kind: 'aiProvider', provider: provider.name } : { kind: 'other' };
}

export function keyShapeWarning(shape: KeyShape): string | undefined {
  switch (shape.kind) {
    case 'aiProvider':
      return `This looks like an AI provider’s key (${shape.provider}), not a CoderFlow key. CoderFlow needs a personal API key, which starts with pc_. AI provider keys belong in CoderFlow’s provider authentication settings on the server.`;
    case 'other':
      return 'CoderFlow personal API keys start with pc_. Check that you pasted the whole key.';
    default:
      return undefined;
  }
}
