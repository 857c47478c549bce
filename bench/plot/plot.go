// Package plot renders simple line and scatter charts to PNG with the
// standard library's image packages and a fixed bitmap font: enough for
// benchmark reports without external tools.
package plot

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Series is one named set of points.
type Series struct {
	Name    string
	X, Y    []float64 // same length; non-finite points are skipped
	Color   color.RGBA
	Markers bool // draw a marker at each point
	NoLine  bool // do not join the points
}

// Chart is a titled 2-D chart.
type Chart struct {
	Title, XLabel, YLabel string
	Series                []Series
	Width, Height         int // pixels; defaults 800×450
	// YFromZero forces the y axis to start at 0 (default when all y ≥ 0).
	YFromZero bool
	// YMax, if > 0, fixes the top of the y axis.
	YMax float64
}

// Palette gives distinguishable colours for series by index.
var Palette = []color.RGBA{
	{31, 119, 180, 255}, {214, 39, 40, 255}, {44, 160, 44, 255}, {255, 127, 14, 255},
	{148, 103, 189, 255}, {140, 86, 75, 255}, {227, 119, 194, 255}, {23, 190, 207, 255},
}

var (
	black = color.RGBA{0, 0, 0, 255}
	grid  = color.RGBA{225, 225, 225, 255}
	face  = basicfont.Face7x13
)

const (
	marginL, marginR, marginT, marginB = 70, 20, 36, 48
)

// ErrNoData is returned for a chart with no finite point.
var ErrNoData = errors.New("plot: no data points")

// Render draws the chart.
func (c *Chart) Render() (*image.RGBA, error) {
	w, h := c.Width, c.Height
	if w == 0 {
		w = 800
	}
	if h == 0 {
		h = 450
	}
	if w < 200 || h < 150 || w > 8000 || h > 8000 {
		return nil, fmt.Errorf("plot: size %dx%d out of range", w, h)
	}
	xmin, xmax, ymin, ymax, n := c.bounds()
	if n == 0 {
		return nil, ErrNoData
	}
	if c.YFromZero || ymin >= 0 {
		ymin = 0
	}
	if c.YMax > 0 {
		ymax = c.YMax
	}
	xmin, xmax = pad(xmin, xmax)
	ymin, ymax = pad(ymin, ymax)
	if !(c.YMax > 0) {
		ymax += (ymax - ymin) * 0.05
	}

	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	pw, ph := w-marginL-marginR, h-marginT-marginB
	px := func(x float64) int { return marginL + int(math.Round((x-xmin)/(xmax-xmin)*float64(pw))) }
	py := func(y float64) int { return marginT + ph - int(math.Round((y-ymin)/(ymax-ymin)*float64(ph))) }

	for _, t := range ticks(ymin, ymax) {
		y := py(t)
		hline(img, marginL, marginL+pw, y, grid)
		s := fmtTick(t)
		text(img, marginL-6-textWidth(s), y+4, s, black)
	}
	for _, t := range ticks(xmin, xmax) {
		x := px(t)
		vline(img, x, marginT, marginT+ph, grid)
		s := fmtTick(t)
		text(img, x-textWidth(s)/2, marginT+ph+16, s, black)
	}
	hline(img, marginL, marginL+pw, marginT+ph, black)
	vline(img, marginL, marginT, marginT+ph, black)
	text(img, (w-textWidth(c.Title))/2, 18, c.Title, black)
	text(img, marginL+(pw-textWidth(c.XLabel))/2, h-10, c.XLabel, black)
	text(img, 6, marginT-8, c.YLabel, black)

	clip := image.Rect(marginL, marginT-3, marginL+pw+3, marginT+ph+1)
	for i, s := range c.Series {
		col := s.Color
		if col.A == 0 {
			col = Palette[i%len(Palette)]
		}
		prevOK := false
		var x0, y0 int
		for j := range min(len(s.X), len(s.Y)) {
			if !finite(s.X[j]) || !finite(s.Y[j]) {
				prevOK = false
				continue
			}
			x1, y1 := px(s.X[j]), py(s.Y[j])
			if prevOK && !s.NoLine {
				line(img, clip, x0, y0, x1, y1, col)
			}
			if s.Markers {
				marker(img, clip, x1, y1, col)
			}
			x0, y0, prevOK = x1, y1, true
		}
		// Legend, top right, one row per series.
		ly := marginT + 6 + i*16
		lx := marginL + pw - 12 - textWidth(s.Name)
		fill(img, image.Rect(lx-16, ly-5, lx-6, ly+5), col)
		text(img, lx, ly+4, s.Name, black)
	}
	return img, nil
}

// WritePNG renders the chart as PNG to w.
func (c *Chart) WritePNG(w io.Writer) error {
	img, err := c.Render()
	if err != nil {
		return err
	}
	return png.Encode(w, img)
}

// StackPNG renders charts one above the other into one PNG.
func StackPNG(w io.Writer, charts ...*Chart) error {
	var imgs []*image.RGBA
	width, height := 0, 0
	for _, c := range charts {
		img, err := c.Render()
		if err != nil {
			return err
		}
		imgs = append(imgs, img)
		width = max(width, img.Bounds().Dx())
		height += img.Bounds().Dy()
	}
	out := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	y := 0
	for _, img := range imgs {
		draw.Draw(out, img.Bounds().Add(image.Pt(0, y)), img, image.Point{}, draw.Src)
		y += img.Bounds().Dy()
	}
	return png.Encode(w, out)
}

func (c *Chart) bounds() (xmin, xmax, ymin, ymax float64, n int) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, s := range c.Series {
		for j := range min(len(s.X), len(s.Y)) {
			x, y := s.X[j], s.Y[j]
			if !finite(x) || !finite(y) {
				continue
			}
			xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
			ymin, ymax = math.Min(ymin, y), math.Max(ymax, y)
			n++
		}
	}
	return
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// pad widens an empty range so it can be scaled.
func pad(lo, hi float64) (float64, float64) {
	if hi > lo {
		return lo, hi
	}
	d := math.Max(math.Abs(lo)*0.1, 1)
	return lo - d, hi + d
}

// ticks returns "nice" tick positions covering [lo, hi].
func ticks(lo, hi float64) []float64 {
	step := niceStep((hi - lo) / 5)
	var out []float64
	for t := math.Ceil(lo/step) * step; t <= hi+step*1e-9 && len(out) < 50; t += step {
		out = append(out, t)
	}
	return out
}

func niceStep(raw float64) float64 {
	if !(raw > 0) {
		return 1
	}
	exp := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if raw <= m*exp {
			return m * exp
		}
	}
	return 10 * exp
}

func fmtTick(t float64) string {
	if math.Abs(t) < 1e-12 {
		return "0"
	}
	return strconv.FormatFloat(t, 'g', 6, 64)
}

func textWidth(s string) int { return font.MeasureString(face, s).Ceil() }

func text(img *image.RGBA, x, y int, s string, col color.RGBA) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(col), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

func hline(img *image.RGBA, x0, x1, y int, col color.RGBA) {
	for x := x0; x <= x1; x++ {
		img.SetRGBA(x, y, col)
	}
}

func vline(img *image.RGBA, x, y0, y1 int, col color.RGBA) {
	for y := y0; y <= y1; y++ {
		img.SetRGBA(x, y, col)
	}
}

func fill(img *image.RGBA, r image.Rectangle, col color.RGBA) {
	draw.Draw(img, r, image.NewUniform(col), image.Point{}, draw.Src)
}

func marker(img *image.RGBA, clip image.Rectangle, x, y int, col color.RGBA) {
	fill(img, image.Rect(x-3, y-3, x+4, y+4).Intersect(clip), col)
}

// line draws a 2-pixel-wide segment (Bresenham), clipped to clip.
func line(img *image.RGBA, clip image.Rectangle, x0, y0, x1, y1 int, col color.RGBA) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	e := dx + dy
	for i := 0; i < 20000; i++ { // bounded: at most the chart's diagonal
		for _, p := range [...]image.Point{{x0, y0}, {x0 + 1, y0}, {x0, y0 + 1}} {
			if p.In(clip) {
				img.SetRGBA(p.X, p.Y, col)
			}
		}
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func sign(v int) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}
