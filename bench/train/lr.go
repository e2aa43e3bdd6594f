package main

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"
)

// Model is a fitted multinomial logistic regression over standardised features.
type Model struct {
	Classes []string
	Mean    []float64 // per feature
	Scale   []float64 // per feature
	Bias    []float64 // per class
	Weights [][]float64
	// Temperature divides the logits at prediction time (calibration); Fit leaves it 0,
	// which Predict treats as 1.
	Temperature float64
}

// FitOptions are the regularisation settings of Fit.
type FitOptions struct {
	Lambda  float64 // L2 penalty on the weights (not the biases), per standardised feature
	Balance float64 // class weight exponent: 0 = every sample counts 1, 1 = every class counts the same
	Mask    []bool  // features left out (weight fixed at 0); nil keeps all
}

// Sample is one labelled feature vector.
type Sample struct {
	X     []float64
	Label string
	Group string // leave-one-group-out unit: a drum kit, a GM instrument
	Name  string
}

// Fit trains softmax regression on samples with L-BFGS (gonum/optimize), starting from zero:
// the objective is convex, so the optimum does not depend on the start, and the run is
// deterministic. It minimises the weighted mean cross-entropy plus ½λ‖W‖².
func Fit(samples []Sample, classes []string, opt FitOptions) (*Model, error) {
	if len(samples) == 0 {
		return nil, fmt.Errorf("no samples")
	}
	d := len(samples[0].X)
	k := len(classes)
	idx := map[string]int{}
	for i, c := range classes {
		idx[c] = i
	}
	// Standardise with the training set's mean and standard deviation.
	m := &Model{Classes: classes, Mean: make([]float64, d), Scale: make([]float64, d)}
	for _, s := range samples {
		for j, v := range s.X {
			m.Mean[j] += v
		}
	}
	for j := range m.Mean {
		m.Mean[j] /= float64(len(samples))
	}
	for _, s := range samples {
		for j, v := range s.X {
			m.Scale[j] += (v - m.Mean[j]) * (v - m.Mean[j])
		}
	}
	for j := range m.Scale {
		m.Scale[j] = math.Sqrt(m.Scale[j] / float64(len(samples)))
		if m.Scale[j] < 1e-9 {
			m.Scale[j] = 1
		}
	}
	z := make([][]float64, len(samples))
	y := make([]int, len(samples))
	count := make([]float64, k)
	for i, s := range samples {
		c, ok := idx[s.Label]
		if !ok {
			return nil, fmt.Errorf("label %q not among the classes", s.Label)
		}
		y[i] = c
		count[c]++
		z[i] = make([]float64, d)
		for j, v := range s.X {
			if opt.Mask != nil && opt.Mask[j] {
				continue
			}
			z[i][j] = (v - m.Mean[j]) / m.Scale[j]
		}
	}
	w := make([]float64, len(samples))
	var wsum float64
	for i := range samples {
		w[i] = 1
		if count[y[i]] > 0 && opt.Balance > 0 {
			w[i] = math.Pow(float64(len(samples))/(float64(k)*count[y[i]]), opt.Balance)
		}
		wsum += w[i]
	}
	stride := d + 1
	probs := make([]float64, k)
	objective := func(theta, grad []float64) float64 {
		if grad != nil {
			for i := range grad {
				grad[i] = 0
			}
		}
		var loss float64
		for i, x := range z {
			top := math.Inf(-1)
			for c := 0; c < k; c++ {
				row := theta[c*stride : (c+1)*stride]
				v := row[d]
				for j, xv := range x {
					v += row[j] * xv
				}
				probs[c] = v
				top = math.Max(top, v)
			}
			var sum float64
			for c := range probs {
				probs[c] = math.Exp(probs[c] - top)
				sum += probs[c]
			}
			loss -= w[i] * (math.Log(probs[y[i]]/sum) + 0)
			if grad == nil {
				continue
			}
			for c := 0; c < k; c++ {
				g := probs[c] / sum
				if c == y[i] {
					g--
				}
				g *= w[i] / wsum
				row := grad[c*stride : (c+1)*stride]
				for j, xv := range x {
					row[j] += g * xv
				}
				row[d] += g
			}
		}
		loss /= wsum
		for c := 0; c < k; c++ {
			for j := 0; j < d; j++ {
				v := theta[c*stride+j]
				loss += 0.5 * opt.Lambda * v * v
				if grad != nil {
					grad[c*stride+j] += opt.Lambda * v
				}
			}
		}
		return loss
	}
	p := optimize.Problem{
		Func: func(t []float64) float64 { return objective(t, nil) },
		Grad: func(g, t []float64) { objective(t, g) },
	}
	res, err := optimize.Minimize(p, make([]float64, k*stride), &optimize.Settings{
		GradientThreshold: 1e-7, MajorIterations: 5000,
	}, &optimize.LBFGS{})
	if err != nil && res == nil {
		return nil, err
	}
	m.Bias = make([]float64, k)
	m.Weights = make([][]float64, k)
	for c := 0; c < k; c++ {
		row := res.X[c*stride : (c+1)*stride]
		m.Weights[c] = make([]float64, d)
		for j := 0; j < d; j++ {
			if opt.Mask != nil && opt.Mask[j] {
				continue
			}
			m.Weights[c][j] = row[j]
		}
		m.Bias[c] = row[d]
	}
	return m, nil
}

// Predict returns the class probabilities of x.
func (m *Model) Predict(x []float64) []float64 {
	p := make([]float64, len(m.Classes))
	top := math.Inf(-1)
	for c := range m.Classes {
		v := m.Bias[c]
		for j, xv := range x {
			v += m.Weights[c][j] * (xv - m.Mean[j]) / m.Scale[j]
		}
		p[c] = v
		top = math.Max(top, v)
	}
	var sum float64
	for c := range p {
		p[c] = math.Exp(p[c] - top)
		sum += p[c]
	}
	for c := range p {
		p[c] /= sum
	}
	return p
}

// KNN is a k-nearest-neighbour classifier over standardised features (inverse-distance
// weighted votes), kept as the comparison that justifies the linear model.
type KNN struct {
	K       int
	Classes []string
	mean    []float64
	scale   []float64
	train   []Sample
}

// FitKNN stores the standardised training set.
func FitKNN(samples []Sample, classes []string, k int) *KNN {
	d := len(samples[0].X)
	n := &KNN{K: k, Classes: classes, mean: make([]float64, d), scale: make([]float64, d)}
	for _, s := range samples {
		for j, v := range s.X {
			n.mean[j] += v / float64(len(samples))
		}
	}
	for _, s := range samples {
		for j, v := range s.X {
			n.scale[j] += (v - n.mean[j]) * (v - n.mean[j]) / float64(len(samples))
		}
	}
	for j := range n.scale {
		n.scale[j] = math.Max(math.Sqrt(n.scale[j]), 1e-9)
	}
	n.train = samples
	return n
}

// Predict returns the vote shares of x's K nearest neighbours.
func (n *KNN) Predict(x []float64) []float64 {
	type nb struct {
		d float64
		c string
	}
	best := make([]nb, 0, n.K+1)
	for _, s := range n.train {
		var d float64
		for j, v := range s.X {
			e := (v - x[j]) / n.scale[j]
			d += e * e
		}
		best = append(best, nb{d, s.Label})
		for i := len(best) - 1; i > 0 && best[i].d < best[i-1].d; i-- {
			best[i], best[i-1] = best[i-1], best[i]
		}
		if len(best) > n.K {
			best = best[:n.K]
		}
	}
	p := make([]float64, len(n.Classes))
	var sum float64
	for _, b := range best {
		for c, name := range n.Classes {
			if name == b.c {
				w := 1 / (math.Sqrt(b.d) + 1e-3)
				p[c] += w
				sum += w
			}
		}
	}
	for c := range p {
		p[c] /= sum
	}
	return p
}
