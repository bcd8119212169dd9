// A real Anthropic Bedrock SDK client: AnthropicBedrock streaming a tool-using message with
// client.messages.stream(...).
//
// Arguments: --model ID  --prompt TEXT  [--max-tokens N]
// Environment: SIM_URL (the base URL), AWS_REGION, and either AWS_BEARER_TOKEN_BEDROCK (sent as
// the apiKey, "Authorization: Bearer") or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
// [/ AWS_SESSION_TOKEN] (passed as awsAccessKey / awsSecretKey / awsSessionToken, SigV4).
//
// Prints one JSON object on stdout: {"ok":true,...,"message":<final message>} or
// {"ok":false,"error":{name,status,message,error_type,body,request_id}} and exit code 1.
import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import { env, fail, messagesRequest, parseArgs, printJSON } from './lib.mjs';

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const model = args.model ?? 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
  const prompt = args.prompt ?? 'What is the weather in Paris?';
  const maxTokens = Number(args['max-tokens'] ?? 1024);

  const bearer = process.env.AWS_BEARER_TOKEN_BEDROCK;
  const opts = { baseURL: env('SIM_URL'), awsRegion: env('AWS_REGION'), maxRetries: 0, timeout: 30_000 };
  if (bearer) {
    opts.apiKey = bearer;
  } else {
    opts.apiKey = null;
    opts.awsAccessKey = env('AWS_ACCESS_KEY_ID');
    opts.awsSecretKey = env('AWS_SECRET_ACCESS_KEY');
    opts.awsSessionToken = process.env.AWS_SESSION_TOKEN || null;
  }
  const client = new AnthropicBedrock(opts);

  const stream = client.messages.stream({ model, ...messagesRequest(prompt, maxTokens) });
  let inputJSONFragments = 0;
  let textDeltas = 0;
  stream.on('inputJson', (partial) => {
    if (partial !== '') inputJSONFragments++;
  });
  stream.on('text', () => {
    textDeltas++;
  });
  const eventCounts = {};
  let metrics = null;
  for await (const ev of stream) {
    eventCounts[ev.type] = (eventCounts[ev.type] ?? 0) + 1;
    if (ev.type === 'message_stop') metrics = ev['amazon-bedrock-invocationMetrics'] ?? null;
  }
  const message = await stream.finalMessage();
  printJSON({
    ok: true,
    client: 'anthropic-bedrock-sdk',
    op: 'stream',
    request_id: stream.request_id ?? null,
    event_counts: eventCounts,
    text_deltas: textDeltas,
    input_json_fragments: inputJSONFragments,
    invocation_metrics: metrics,
    message,
  });
}

main().catch((err) => {
  const headers = err?.headers;
  const errorType = headers && typeof headers.get === 'function' ? headers.get('x-amzn-errortype') : undefined;
  fail(err, {
    name: err?.constructor?.name ?? err?.name,
    status: err?.status,
    error_type: errorType ? errorType.split(':')[0] : undefined,
    body: err?.error,
    request_id: err?.requestID ?? err?.request_id,
  });
});
