// Shared helpers for the conformance clients: argument parsing, the Claude Messages request
// they all send, and JSON output on stdout.

// parseArgs reads "--name value" pairs; a flag without a value is "true".
export function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      throw new Error(`unexpected argument ${JSON.stringify(a)}`);
    }
    const name = a.slice(2);
    if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      out[name] = argv[++i];
    } else {
      out[name] = 'true';
    }
  }
  return out;
}

// env returns a required environment variable.
export function env(name) {
  const v = process.env[name];
  if (v === undefined || v === '') {
    throw new Error(`environment variable ${name} is required`);
  }
  return v;
}

// The tool every client offers: a small JSON schema, so the reply's tool_use input can be
// checked field by field.
export const weatherTool = {
  name: 'get_weather',
  description: 'Get the current weather for a city.',
  input_schema: {
    type: 'object',
    properties: {
      city: { type: 'string', description: 'City name' },
      units: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    },
    required: ['city'],
  },
};

// messagesRequest is a Claude Messages request (without model and anthropic_version, which
// each client adds its own way).
export function messagesRequest(prompt, maxTokens) {
  return {
    max_tokens: maxTokens,
    system: 'You are a terse assistant. Use tools when they help.',
    messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
    tools: [weatherTool],
    tool_choice: { type: 'auto' },
  };
}

// assembleStream folds Anthropic streaming events (message_start, content_block_*,
// message_delta, message_stop) into the message they describe. Tool input is re-assembled
// from the input_json_delta fragments and parsed; partial_json_count records how many
// fragments arrived, so a caller can see the input was really streamed in pieces.
export function assembleStream(events) {
  const msg = { id: null, model: null, role: null, content: [], stop_reason: null, stop_sequence: null, usage: {} };
  const partial = new Map();
  const counts = {};
  let metrics = null;
  for (const ev of events) {
    counts[ev.type] = (counts[ev.type] ?? 0) + 1;
    switch (ev.type) {
      case 'message_start':
        msg.id = ev.message.id;
        msg.model = ev.message.model;
        msg.role = ev.message.role;
        msg.usage = { ...ev.message.usage };
        break;
      case 'content_block_start': {
        const b = { ...ev.content_block };
        if (b.type === 'tool_use') {
          partial.set(ev.index, []);
          b.start_input = b.input;
          b.input = undefined;
        }
        msg.content[ev.index] = b;
        break;
      }
      case 'content_block_delta': {
        const b = msg.content[ev.index];
        const d = ev.delta;
        if (!b) throw new Error(`delta for unopened block ${ev.index}`);
        if (d.type === 'text_delta') b.text = (b.text ?? '') + d.text;
        else if (d.type === 'input_json_delta') partial.get(ev.index).push(d.partial_json);
        else if (d.type === 'thinking_delta') b.thinking = (b.thinking ?? '') + d.thinking;
        else if (d.type === 'signature_delta') b.signature = d.signature;
        else throw new Error(`unknown delta type ${d.type}`);
        break;
      }
      case 'content_block_stop': {
        const b = msg.content[ev.index];
        if (b && b.type === 'tool_use') {
          const parts = partial.get(ev.index);
          const raw = parts.join('');
          b.input = raw === '' ? {} : JSON.parse(raw);
          b.partial_json_count = parts.filter((p) => p !== '').length;
        }
        break;
      }
      case 'message_delta':
        msg.stop_reason = ev.delta.stop_reason;
        msg.stop_sequence = ev.delta.stop_sequence ?? null;
        msg.usage = { ...msg.usage, ...ev.usage };
        break;
      case 'message_stop':
        metrics = ev['amazon-bedrock-invocationMetrics'] ?? null;
        break;
      default:
        break;
    }
  }
  return { message: msg, event_counts: counts, invocation_metrics: metrics };
}

export function printJSON(v) {
  process.stdout.write(JSON.stringify(v, null, 2) + '\n');
}

// fail prints an error as JSON and exits non-zero. extra carries client-specific fields
// (HTTP status, request id, the X-Amzn-ErrorType code).
export function fail(err, extra = {}) {
  printJSON({
    ok: false,
    error: {
      name: err?.name ?? 'Error',
      code: err?.code ?? err?.Code ?? undefined,
      message: err?.message ?? String(err),
      ...extra,
    },
  });
  process.exit(1);
}
