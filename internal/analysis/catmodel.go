package analysis

import "math"

// linearModel is a multinomial logistic regression (softmax regression) over the standardised
// classFeatures: p(c | x) ∝ exp((bias[c] + Σ_j weights[c][j]·(x[j]−mean[j])/scale[j]) / T),
// with the temperature T fitted on held-out answers so the probabilities are calibrated.
// Its parameters are data, written by the training command (go run ./bench/train) into
// catmodel_data.go; see that command for how they were fitted.
type linearModel struct {
	classes []string
	mean    []float64 // per feature
	scale   []float64 // per feature (standard deviation over the training set)
	bias    []float64 // per class
	weights [][]float64
	// temperature divides the logits (0 is taken as 1).
	temperature float64
}

// probabilities writes p(c | x) for every class of m into dst and returns it.
func (m *linearModel) probabilities(dst []float64, x *[nClassFeatures]float64) []float64 {
	dst = dst[:0]
	top := math.Inf(-1)
	t := m.temperature
	if t <= 0 {
		t = 1
	}
	for c := range m.classes {
		z := m.bias[c]
		w := m.weights[c]
		for j, v := range x {
			z += w[j] * (v - m.mean[j]) / m.scale[j]
		}
		z /= t
		dst = append(dst, z)
		top = math.Max(top, z)
	}
	var sum float64
	for c, z := range dst {
		dst[c] = math.Exp(z - top)
		sum += dst[c]
	}
	for c := range dst {
		dst[c] /= sum
	}
	return dst
}
