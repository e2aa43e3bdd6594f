package vibe

// Price is what a model costs in USD per million tokens.
type Price struct {
	InputPerM  float64 `json:"input_per_m"`
	OutputPerM float64 `json:"output_per_m"`
}

// Cost prices a call's tokens.
func (p Price) Cost(inputTokens, outputTokens int64) float64 {
	return (float64(inputTokens)*p.InputPerM + float64(outputTokens)*p.OutputPerM) / 1e6
}

// PriceTable maps OpenRouter model ids to prices. It is used to estimate a call's cost before it
// is made (for the budget check) and to cost a call whose response did not report usage.cost.
type PriceTable map[string]Price

// FallbackPrice prices models missing from the table. It is deliberately higher than any small
// instruct model so that an unknown model makes budget estimates err towards refusing.
func FallbackPrice() Price { return Price{InputPerM: 1.00, OutputPerM: 3.00} }

// DefaultPrices returns a fresh price table for a few common small models. The numbers are
// ESTIMATES of list prices at the time of writing and will drift; OpenRouter's reported
// usage.cost always takes precedence for recorded costs. Sources:
//   - meta-llama/llama-3.1-8b-instruct, meta-llama/llama-3.3-70b-instruct, microsoft/phi-4,
//     mistralai/mistral-small-3.1-24b-instruct: the per-million prices OpenRouter listed in
//     mid-2026 as summarised in "Cheapest LLM APIs for startups in 2026" (dev.to, 2026);
//     OpenRouter's own model pages are the reference (https://openrouter.ai/models).
//   - openai/gpt-4o-mini: OpenAI's published list price ($0.15 / $0.60).
//
// It is a function rather than a package variable so no caller can change another's table.
func DefaultPrices() PriceTable {
	return PriceTable{
		"meta-llama/llama-3.1-8b-instruct":         {InputPerM: 0.02, OutputPerM: 0.03},
		"meta-llama/llama-3.3-70b-instruct":        {InputPerM: 0.10, OutputPerM: 0.32},
		"microsoft/phi-4":                          {InputPerM: 0.07, OutputPerM: 0.14},
		"mistralai/mistral-small-3.1-24b-instruct": {InputPerM: 0.35, OutputPerM: 0.56},
		"openai/gpt-4o-mini":                       {InputPerM: 0.15, OutputPerM: 0.60},
	}
}

// Lookup returns the model's price and whether the table knew it (FallbackPrice otherwise).
func (t PriceTable) Lookup(model string) (Price, bool) {
	if p, ok := t[model]; ok {
		return p, true
	}
	return FallbackPrice(), false
}
