// A real AWS SDK for JavaScript v3 client: BedrockRuntimeClient with InvokeModelCommand or
// InvokeModelWithResponseStreamCommand carrying a Claude Messages body with a tool.
//
// Arguments: --op invoke|stream  --model ID  --prompt TEXT  [--max-tokens N]
// Environment: SIM_URL (the endpoint), AWS_REGION, and either AWS_ACCESS_KEY_ID /
// AWS_SECRET_ACCESS_KEY [/ AWS_SESSION_TOKEN] (passed as static credentials) or
// AWS_BEARER_TOKEN_BEDROCK (which the SDK picks up itself and prefers).
//
// Prints one JSON object on stdout: {"ok":true,...} with the message and elapsed_ms (from
// sending the call to the end of the answer), or {"ok":false,
// "error":{name,code,message,http_status,request_id,error_type}} and exit code 1.
import {
  BedrockRuntimeClient,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { assembleStream, env, fail, messagesRequest, parseArgs, printJSON } from './lib.mjs';

let raw = null; // the last HTTP response, seen below the deserializer

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const op = args.op ?? 'invoke';
  if (op !== 'invoke' && op !== 'stream') throw new Error(`--op must be invoke or stream, not ${op}`);
  const modelId = args.model ?? 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
  const prompt = args.prompt ?? 'What is the weather in Paris?';
  const maxTokens = Number(args['max-tokens'] ?? 1024);

  const config = { endpoint: env('SIM_URL'), region: env('AWS_REGION'), maxAttempts: 1 };
  if (!process.env.AWS_BEARER_TOKEN_BEDROCK) {
    config.credentials = {
      accessKeyId: env('AWS_ACCESS_KEY_ID'),
      secretAccessKey: env('AWS_SECRET_ACCESS_KEY'),
      ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}),
    };
  }
  const client = new BedrockRuntimeClient(config);
  client.middlewareStack.add(
    (next) => async (input) => {
      const out = await next(input);
      raw = out.response;
      return out;
    },
    { step: 'deserialize', priority: 'low', name: 'conformanceCaptureResponse' },
  );

  const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', ...messagesRequest(prompt, maxTokens) });
  const base = { modelId, contentType: 'application/json', body: new TextEncoder().encode(body) };

  const started = performance.now();
  const elapsedMS = () => Math.round(performance.now() - started);
  if (op === 'invoke') {
    const out = await client.send(new InvokeModelCommand({ ...base, accept: 'application/json' }));
    const message = JSON.parse(new TextDecoder().decode(out.body));
    printJSON({
      ok: true,
      client: 'aws-sdk-js',
      op,
      http_status: out.$metadata.httpStatusCode,
      request_id: out.$metadata.requestId,
      content_type: out.contentType,
      headers: bedrockHeaders(),
      elapsed_ms: elapsedMS(),
      message,
    });
    return;
  }

  const out = await client.send(new InvokeModelWithResponseStreamCommand(base));
  const events = [];
  const other = [];
  for await (const ev of out.body) {
    if (ev.chunk?.bytes) {
      events.push(JSON.parse(new TextDecoder().decode(ev.chunk.bytes)));
    } else {
      other.push(Object.keys(ev));
    }
  }
  printJSON({
    ok: true,
    client: 'aws-sdk-js',
    op,
    http_status: out.$metadata.httpStatusCode,
    request_id: out.$metadata.requestId,
    content_type: out.contentType,
    headers: bedrockHeaders(),
    chunks: events.length,
    non_chunk_events: other,
    elapsed_ms: elapsedMS(),
    ...assembleStream(events),
  });
}

// bedrockHeaders keeps the x-amzn-* response headers (token counts, request id).
function bedrockHeaders() {
  const h = {};
  for (const [k, v] of Object.entries(raw?.headers ?? {})) {
    if (k.toLowerCase().startsWith('x-amzn')) h[k.toLowerCase()] = v;
  }
  return h;
}

main().catch((err) => {
  const errorType = raw?.headers?.['x-amzn-errortype'];
  fail(err, {
    name: err?.name,
    code: err?.Code ?? err?.code ?? err?.name,
    fault: err?.$fault,
    http_status: err?.$metadata?.httpStatusCode ?? raw?.statusCode,
    request_id: err?.$metadata?.requestId,
    error_type: errorType ? errorType.split(':')[0] : undefined,
  });
});
