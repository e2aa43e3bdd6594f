// Package vibe describes how samples feel and what they are good for on the SP-404, and turns
// "vibe" descriptions into searches. It works in two modes:
//
//   - Offline (no OPENROUTER_API_KEY): Offline derives every field — moods, energy,
//     danceability, texture, era, genres, descriptors, best use — from the audio analysis and the
//     file, folder and tag words with documented, deterministic rules; ParseQuery parses search
//     text with a keyword and synonym table. Nothing leaves the machine.
//   - Online: an Analyzer still computes the offline vibe first (it is the fallback and the
//     draft the model refines), then asks an OpenRouter model for the same fields as strict JSON
//     (structured outputs with a JSON Schema), validates every field and merges the answer,
//     marking each field's source "llm". Anything wrong with the answer — not JSON, a field
//     missing or out of range, markup — keeps the offline vibe (outcome "bad_output").
//
// The pieces, from the network inwards:
//
//	Client      POST {BaseURL}/chat/completions; retries 429/408/5xx/timeouts with full-jitter
//	            exponential backoff or the server's Retry-After; a semaphore bounds requests in
//	            flight; typed errors (ErrUnavailable, ErrRejected, ErrBadOutput).
//	Guard       budgets and accounting around a Completer: estimates a call from its prompt
//	            size and max_tokens, refuses it with a *BudgetError (ErrBudget) if the monthly USD
//	            or daily token budget cannot fit it, reserves the estimate while it is in flight,
//	            and records exactly one Call per logical request (retries included) in a
//	            UsageStore with the final outcome and the provider's cost (or the price table's).
//	Analyzer    Analyze (vibe of one sample, with progress steps for the WebSocket) and
//	            ParseQueryLLM (search text to Query), both falling back to the offline path.
//	Rank        scores candidates against a Query and explains each match.
//
// Why reservations: the budget check reads what is recorded, but calls in flight are not
// recorded yet; without reserving their estimates, ten concurrent analyses would all pass a
// budget that fits three. The reservation is released only after the real usage is recorded,
// so a call is never missing from both.
//
// Why one record per logical call: the user asked for one vibe; the usage page should show one
// line with its final outcome and latency, not one per retry. Tokens are what the successful (or
// final bad) answer reported; attempts that failed with 429/5xx were not charged by OpenRouter.
//
// The package does no database or HTTP serving: the store implements UsageStore, the HTTP layer
// maps errors (ErrBudget → 402/429) and sends the Step* constants over /ws/vibe/{sample_id}.
package vibe
