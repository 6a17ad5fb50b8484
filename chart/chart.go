// Package chart draws omsd's reports as PNG bar charts, for omsctl report
// --png and the web console: pieces and sheets per group for volumes,
// postage per carrier product, the reprint rate per group, and deadlines
// met, missed and open per group. It draws with gonum.org/v1/plot, whose
// fonts are embedded, so a chart looks the same on every machine.
package chart

import (
	"errors"
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/postage"
)

// ErrChart is wrapped by the errors of this package.
var ErrChart = errors.New("chart")

// Size is the size of a chart: 1200 x 675 pixels at the PNG's 96 dpi.
const (
	Width  = 1200 * vg.Inch / 96
	Height = Width * 9 / 16
)

// series is one set of bars: a value per group.
type series struct {
	name   string
	values []float64
	color  color.Color
}

// palette colours the series, and is readable in grey.
var palette = []color.Color{
	color.RGBA{R: 0x1f, G: 0x5f, B: 0xa8, A: 0xff},
	color.RGBA{R: 0xe0, G: 0x8a, B: 0x1e, A: 0xff},
	color.RGBA{R: 0x5a, G: 0x9e, B: 0x3a, A: 0xff},
}

// WritePNG draws rep as a PNG bar chart to w.
func WritePNG(w io.Writer, rep api.Report) error {
	p, err := Draw(rep)
	if err != nil {
		return err
	}
	wt, err := p.WriterTo(Width, Height, "png")
	if err != nil {
		return fmt.Errorf("%w: %w", ErrChart, err)
	}
	_, err = wt.WriteTo(w)
	return err
}

// Draw is the plot of rep; its title gives the window in the location
// of rep.From and rep.To.
func Draw(rep api.Report) (*plot.Plot, error) {
	groups, ss, ylabel := bars(rep)
	if len(groups) == 0 {
		return nil, fmt.Errorf("%w: the %s report has nothing to draw; widen --from/--to", ErrChart, rep.Kind)
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("omsd %s, %s to %s", rep.Kind, rep.From.Format("2006-01-02 15:04"), rep.To.Format("2006-01-02 15:04"))
	p.Y.Label.Text = ylabel
	p.Y.Min = 0
	p.Title.TextStyle.Font.Size = vg.Points(14)
	p.Title.Padding = vg.Points(8)
	p.Legend.Top = true
	p.Legend.Left = false
	p.X.Min, p.X.Max = -0.6, float64(len(groups)-1)+0.6
	p.Y.Max = headroom(ss)
	// Each group takes one unit of the X axis; its bars share 70 % of it.
	unit := float64(Width-vg.Inch) / (float64(len(groups)) + 0.2)
	width := vg.Length(0.7 * unit / float64(len(ss)))
	for i, s := range ss {
		b, err := plotter.NewBarChart(plotter.Values(s.values), width)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrChart, err)
		}
		b.Color, b.LineStyle.Width = s.color, 0
		b.Offset = width * vg.Length(float64(i)-float64(len(ss)-1)/2)
		p.Add(b)
		if len(ss) > 1 {
			p.Legend.Add(s.name, b)
		}
	}
	p.NominalX(groups...)
	return p, nil
}

// headroom is the top of the Y axis: a fifth above the highest bar, so
// the legend does not cover it.
func headroom(ss []series) float64 {
	top := 0.0
	for _, s := range ss {
		for _, v := range s.values {
			top = max(top, v)
		}
	}
	if top == 0 {
		return 1
	}
	return top * 1.2
}

// bars are the groups, the series and the Y axis label of rep.
func bars(rep api.Report) ([]string, []series, string) {
	rows := rep.Rows
	if len(rows) == 0 {
		rows = []api.ReportRow{rep.Total}
	}
	var groups []string
	for _, r := range rows {
		groups = append(groups, r.Key)
	}
	col := func(name string, i int, f func(api.ReportRow) float64) series {
		s := series{name: name, color: palette[i%len(palette)]}
		for _, r := range rows {
			s.values = append(s.values, f(r))
		}
		return s
	}
	switch rep.Kind {
	case api.ReportPostage:
		var products []string
		var money []float64
		for _, p := range rep.Total.Postage {
			m, _ := postage.ParseMoney(p.Postage)
			products = append(products, p.Product)
			money = append(money, float64(m)/10000)
		}
		return products, []series{{name: "postage", values: money, color: palette[0]}}, "postage (currency units)"
	case api.ReportReprints:
		return groups, []series{col("reprint rate", 0, func(r api.ReportRow) float64 { return r.ReprintRate })}, "pieces reprinted (%)"
	case api.ReportSLA:
		return groups, []series{
			col("met", 2, func(r api.ReportRow) float64 { return float64(r.Met) }),
			col("missed", 1, func(r api.ReportRow) float64 { return float64(r.Missed) }),
			col("open", 0, func(r api.ReportRow) float64 { return float64(r.Open) }),
		}, "runs with a deadline"
	}
	return groups, []series{
		col("pieces in", 0, func(r api.ReportRow) float64 { return float64(r.PiecesIn) }),
		col("sheets out", 1, func(r api.ReportRow) float64 { return float64(r.SheetsOut) }),
		col("envelopes", 2, func(r api.ReportRow) float64 { return float64(r.Envelopes) }),
	}, "count"
}
