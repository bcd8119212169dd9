// Package awsauth is where ganban's Bedrock credentials come from (setup guide S5-S9): a
// Bedrock API key (AWS_BEARER_TOKEN_BEDROCK), the awsCredentialExport command, or the AWS SDK's
// default credential chain; and how they are renewed: cached in memory, re-resolved five
// minutes before they expire, and refreshed with the awsAuthRefresh command when they have
// expired or Bedrock rejects them.
//
// Concurrency: a Provider is safe for concurrent use. Concurrent requests that need a refresh
// share one run of the refresh command, which stops when all of them have given up; a request
// signed with credentials already renewed is only retried; and a refresh never runs twice
// within a minute unless forced, so a broken refresh command cannot loop.
package awsauth
