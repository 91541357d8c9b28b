//! Charts drawn on the server as SVG: no script, so they show without JavaScript, print,
//! and scale to any width through the `viewBox` (readable on a 360 px phone).
//!
//! It knows no feature: a chart is a run of labelled points (months, say) and one or more
//! named series of whole numbers, drawn as stacked bars or as lines, with a value axis of
//! round ticks, the point labels below, and a legend. The SVG is `role="img"`, named by its
//! own `<title>` and `<desc>`; the page shows the same numbers as a table beside it.

use std::fmt::Write;

use super::format;
use super::i18n::Lang;

/// How the series are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One bar per point, the series stacked: parts of a whole (flows by sex).
    StackedBars,
    /// One line per series: levels to compare (stocks at month end).
    Lines,
}

/// A named run of values, one per point of the chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub label: String,
    pub values: Vec<i64>,
}

#[derive(Debug, Clone)]
pub struct Chart {
    /// Unique within the page: the SVG's title and description take their ids from it.
    pub id: String,
    pub title: String,
    pub description: String,
    pub kind: Kind,
    /// The axis label of each point; a space breaks it over two lines (`Jan 2026`).
    pub points: Vec<String>,
    pub series: Vec<Series>,
    /// Shown in place of the plot when there is nothing to draw.
    pub empty_text: String,
    pub lang: Lang,
}

// The drawing's own units; the page scales them to its width.
// At 360 px a page's column is about 330 px wide: a unit is then 0.63 px and the labels
// 14 px.
const WIDTH: f64 = 520.0;
const HEIGHT: f64 = 300.0;
const FONT: f64 = 22.0;
/// A rough width of one character of the label font, to lay out labels without measuring.
const CHAR: f64 = FONT * 0.56;
const PAD: f64 = 8.0;
const SWATCH: f64 = 16.0;
/// Most labels the point axis shows; the others are in the table.
const MAX_POINT_LABELS: usize = 6;

/// Colours a reader with colour blindness can tell apart (Okabe and Ito), darkened to at
/// least 3:1 against white; lines also differ in their dashes, for a grey printout.
const COLOURS: [&str; 6] = [
    "#0072b2", "#c25400", "#007a5e", "#8e3f78", "#5c5c5c", "#8a6d00",
];
const DASHES: [&str; 6] = ["", "10 5", "3 4", "12 4 3 4", "6 6", "2 2"];

/// The value axis's ticks from 0 to a round number at or above `max`: 3 to 6 steps of 1, 2
/// or 5 times a power of ten. Counts are whole, so a step is never below 1; an empty or
/// all-zero chart gets the axis 0 to 1.
pub fn ticks(max: i64) -> Vec<i64> {
    if max <= 0 {
        return vec![0, 1];
    }
    let rough = (max as f64 / 4.0).max(1.0);
    let power = 10f64.powi(rough.log10().floor() as i32);
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power)
        .max(1.0) as i64;
    let steps = (max + step - 1) / step;
    (0..=steps).map(|i| i * step).collect()
}

/// Text for SVG, where `&`, `<`, `>` and quotes must be escaped like HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn dash_attribute(series: usize) -> String {
    match DASHES[series % DASHES.len()] {
        "" => String::new(),
        dash => format!(" stroke-dasharray=\"{dash}\""),
    }
}

/// Every `step`-th point is labelled so that at most [`MAX_POINT_LABELS`] are.
fn label_step(points: usize) -> usize {
    points.div_ceil(MAX_POINT_LABELS).max(1)
}

struct Plot {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    top_value: i64,
}

impl Plot {
    fn y(&self, value: i64) -> f64 {
        let share = value.max(0) as f64 / self.top_value.max(1) as f64;
        self.bottom - share * (self.bottom - self.top)
    }

    fn band(&self, points: usize) -> f64 {
        (self.right - self.left) / points.max(1) as f64
    }

    fn centre(&self, points: usize, i: usize) -> f64 {
        self.left + self.band(points) * (i as f64 + 0.5)
    }
}

impl Chart {
    fn is_empty(&self) -> bool {
        self.points.is_empty() || self.series.iter().all(|s| s.values.iter().all(|v| *v == 0))
    }

    /// The largest value the axis must reach: the tallest stack, or the highest point.
    fn max_value(&self) -> i64 {
        let value = |s: &Series, i: usize| s.values.get(i).copied().unwrap_or(0).max(0);
        (0..self.points.len())
            .map(|i| match self.kind {
                Kind::StackedBars => self.series.iter().map(|s| value(s, i)).sum(),
                Kind::Lines => self.series.iter().map(|s| value(s, i)).max().unwrap_or(0),
            })
            .max()
            .unwrap_or(0)
    }

    /// The legend's items laid out in rows that fit the width: (x, y, series index).
    fn legend(&self) -> (Vec<(f64, f64, usize)>, f64) {
        let mut items = Vec::new();
        let (mut x, mut y) = (PAD, PAD + FONT);
        for (i, s) in self.series.iter().enumerate() {
            let width = SWATCH + 6.0 + s.label.chars().count() as f64 * CHAR + 18.0;
            if x > PAD && x + width > WIDTH - PAD {
                x = PAD;
                y += FONT + 8.0;
            }
            items.push((x, y, i));
            x += width;
        }
        let height = if items.is_empty() { 0.0 } else { y + 10.0 };
        (items, height)
    }

    /// The whole `<svg>` element.
    pub fn svg(&self) -> String {
        let id = escape(&self.id);
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" \
             role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-size=\"{FONT}\">\
             <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
            escape(&self.title),
            escape(&self.description),
        );
        let (legend, legend_height) = self.legend();
        for (x, y, i) in &legend {
            let colour = COLOURS[i % COLOURS.len()];
            // A line's key is a stretch of the line, dashes and all, so a grey printout
            // still tells the series apart.
            let _ = match self.kind {
                Kind::StackedBars => write!(
                    out,
                    "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{SWATCH}\" height=\"{SWATCH}\" fill=\"{colour}\"/>",
                    y - SWATCH + 2.0,
                ),
                Kind::Lines => write!(
                    out,
                    "<path d=\"M{x:.1} {:.1} h{SWATCH}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"4\"{}/>",
                    y - SWATCH / 2.0 + 2.0,
                    dash_attribute(*i),
                ),
            };
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{y:.1}\" fill=\"#1b1b1b\">{}</text>",
                x + SWATCH + 6.0,
                escape(&self.series[*i].label),
            );
        }
        let ticks = ticks(self.max_value());
        let top_value = ticks.last().copied().unwrap_or(1);
        let widest = ticks
            .iter()
            .map(|t| format::number(self.lang, *t).chars().count())
            .max()
            .unwrap_or(1) as f64;
        // Room for half the last point's label, which is centred on it.
        let last_label = self
            .points
            .last()
            .map(|p| p.split(' ').map(|w| w.chars().count()).max().unwrap_or(0))
            .unwrap_or(0) as f64;
        let plot = Plot {
            left: PAD + widest * CHAR + 8.0,
            right: WIDTH - PAD - (last_label * CHAR / 2.0).max(4.0),
            top: legend_height.max(PAD) + FONT / 2.0,
            bottom: HEIGHT - 2.0 * FONT - 16.0,
            top_value,
        };
        for t in &ticks {
            let y = plot.y(*t);
            let _ = write!(
                out,
                "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#d0d4d9\" stroke-width=\"1\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#1b1b1b\">{}</text>",
                plot.left,
                plot.right,
                plot.left - 6.0,
                y + FONT * 0.35,
                format::number(self.lang, *t),
            );
        }
        let _ = write!(
            out,
            "<line x1=\"{l:.1}\" x2=\"{l:.1}\" y1=\"{:.1}\" y2=\"{b:.1}\" stroke=\"#1b1b1b\" stroke-width=\"1.5\"/>\
             <line x1=\"{l:.1}\" x2=\"{:.1}\" y1=\"{b:.1}\" y2=\"{b:.1}\" stroke=\"#1b1b1b\" stroke-width=\"1.5\"/>",
            plot.top,
            plot.right,
            l = plot.left,
            b = plot.bottom,
        );
        if self.is_empty() {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#1b1b1b\">{}</text>",
                (plot.left + plot.right) / 2.0,
                (plot.top + plot.bottom) / 2.0,
                escape(&self.empty_text),
            );
        } else {
            match self.kind {
                Kind::StackedBars => self.bars(&mut out, &plot),
                Kind::Lines => self.lines(&mut out, &plot),
            }
        }
        self.point_labels(&mut out, &plot);
        out.push_str("</svg>");
        out
    }

    fn bars(&self, out: &mut String, plot: &Plot) {
        let n = self.points.len();
        let width = (plot.band(n) * 0.7).max(1.0);
        for i in 0..n {
            let mut base = 0;
            for (k, s) in self.series.iter().enumerate() {
                let value = s.values.get(i).copied().unwrap_or(0).max(0);
                if value == 0 {
                    continue;
                }
                let (y0, y1) = (plot.y(base), plot.y(base + value));
                let _ = write!(
                    out,
                    "<rect x=\"{:.1}\" y=\"{y1:.1}\" width=\"{width:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
                    plot.centre(n, i) - width / 2.0,
                    y0 - y1,
                    COLOURS[k % COLOURS.len()],
                );
                base += value;
            }
        }
    }

    fn lines(&self, out: &mut String, plot: &Plot) {
        let n = self.points.len();
        for (k, s) in self.series.iter().enumerate() {
            let mut path = String::new();
            for i in 0..n {
                let value = s.values.get(i).copied().unwrap_or(0);
                let _ = write!(
                    path,
                    "{}{:.1} {:.1}",
                    if i == 0 { "M" } else { " L" },
                    plot.centre(n, i),
                    plot.y(value)
                );
            }
            let _ = write!(
                out,
                "<path d=\"{path}\" fill=\"none\" stroke=\"{}\" stroke-width=\"3\"{}/>",
                COLOURS[k % COLOURS.len()],
                dash_attribute(k),
            );
        }
    }

    fn point_labels(&self, out: &mut String, plot: &Plot) {
        let n = self.points.len();
        let step = label_step(n);
        // Counted from the last point, so the newest month is always labelled.
        for i in (0..n).rev().step_by(step) {
            let x = plot.centre(n, i);
            let _ = write!(
                out,
                "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{b:.1}\" y2=\"{:.1}\" stroke=\"#1b1b1b\" stroke-width=\"1\"/>\
                 <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#1b1b1b\">",
                plot.bottom + 6.0,
                plot.bottom + FONT + 4.0,
                b = plot.bottom,
            );
            let mut lines = self.points[i].splitn(2, ' ');
            if let Some(first) = lines.next() {
                out.push_str(&escape(first));
            }
            if let Some(second) = lines.next() {
                let _ = write!(
                    out,
                    "<tspan x=\"{x:.1}\" dy=\"{:.1}\">{}</tspan>",
                    FONT + 2.0,
                    escape(second)
                );
            }
            out.push_str("</text>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(kind: Kind, points: usize, series: Vec<Series>) -> Chart {
        Chart {
            id: "c".into(),
            title: "Judul".into(),
            description: "Uraian".into(),
            kind,
            points: (1..=points).map(|m| format!("M{m} 2026")).collect(),
            series,
            empty_text: "Tidak ada data".into(),
            lang: Lang::Id,
        }
    }

    fn series(label: &str, values: &[i64]) -> Series {
        Series {
            label: label.into(),
            values: values.to_vec(),
        }
    }

    #[test]
    fn ticks_are_round_steps_from_zero_past_the_largest_value() {
        assert_eq!(ticks(0), vec![0, 1]);
        assert_eq!(ticks(-3), vec![0, 1]);
        assert_eq!(ticks(1), vec![0, 1]);
        assert_eq!(ticks(3), vec![0, 1, 2, 3]);
        assert_eq!(ticks(7), vec![0, 2, 4, 6, 8]);
        assert_eq!(ticks(10), vec![0, 5, 10]);
        assert_eq!(ticks(37), vec![0, 10, 20, 30, 40]);
        assert_eq!(ticks(100), vec![0, 50, 100]);
        assert_eq!(ticks(1_234_567), vec![0, 500_000, 1_000_000, 1_500_000]);
        for max in [
            1,
            2,
            9,
            11,
            99,
            101,
            999,
            4_321,
            65_000,
            1_000_000,
            987_654_321,
        ] {
            let t = ticks(max);
            assert!(*t.last().unwrap() >= max, "{max}: {t:?}");
            assert!((2..=7).contains(&t.len()), "{max}: {t:?}");
            let step = t[1] - t[0];
            let digits = step / 10i64.pow(step.ilog10());
            assert!([1, 2, 5].contains(&digits), "{max}: step {step}");
        }
    }

    #[test]
    fn large_ticks_are_written_with_the_languages_separators() {
        let svg = chart(Kind::StackedBars, 2, vec![series("L", &[1_234_567, 10])]).svg();
        assert!(svg.contains(">1.500.000</text>"), "{svg}");
        let english = Chart {
            lang: Lang::En,
            ..chart(Kind::StackedBars, 2, vec![series("L", &[1_234_567, 10])])
        };
        assert!(english.svg().contains(">1,500,000</text>"));
    }

    #[test]
    fn stacked_bars_reach_the_sum_of_their_parts() {
        let c = chart(
            Kind::StackedBars,
            2,
            vec![series("L", &[3, 1]), series("P", &[4, 0])],
        );
        assert_eq!(c.max_value(), 7);
        let svg = c.svg();
        // Three non-zero parts, three bars (plus the legend's two swatches).
        assert_eq!(svg.matches("<rect").count(), 5);
        assert!(svg.contains(">8</text>"), "axis to 8: {svg}");
    }

    #[test]
    fn lines_reach_the_highest_point_and_differ_in_dashes() {
        let c = chart(
            Kind::Lines,
            3,
            vec![series("L", &[3, 9, 1]), series("P", &[4, 0, 2])],
        );
        assert_eq!(c.max_value(), 9);
        let svg = c.svg();
        // Two lines, and two stretches of them in the legend.
        assert_eq!(svg.matches("<path").count(), 4);
        assert_eq!(svg.matches("stroke-dasharray=\"10 5\"").count(), 2);
    }

    #[test]
    fn a_value_maps_onto_the_plot_in_proportion() {
        let plot = Plot {
            left: 50.0,
            right: 550.0,
            top: 20.0,
            bottom: 220.0,
            top_value: 40,
        };
        assert_eq!(plot.y(0), 220.0);
        assert_eq!(plot.y(40), 20.0);
        assert_eq!(plot.y(10), 170.0);
        assert_eq!(plot.y(-5), 220.0);
        assert_eq!(plot.band(10), 50.0);
        assert_eq!(plot.centre(10, 0), 75.0);
    }

    #[test]
    fn an_empty_chart_says_so_and_draws_no_data() {
        for c in [
            chart(Kind::StackedBars, 0, vec![]),
            chart(Kind::Lines, 0, vec![series("L", &[])]),
            chart(Kind::Lines, 4, vec![series("L", &[0, 0, 0, 0])]),
            chart(Kind::StackedBars, 3, vec![]),
        ] {
            let svg = c.svg();
            assert!(svg.contains("Tidak ada data"), "{svg}");
            // Only the legend's keys: no line (drawn 3 wide) and no bar.
            assert!(!svg.contains("stroke-width=\"3\""));
            assert!(svg.matches("<rect").count() <= c.series.len());
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        }
    }

    #[test]
    fn the_svg_is_named_by_its_title_and_description() {
        let svg = chart(Kind::Lines, 2, vec![series("L", &[1, 2])]).svg();
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-labelledby=\"c-title c-desc\""));
        assert!(svg.contains("<title id=\"c-title\">Judul</title>"));
        assert!(svg.contains("<desc id=\"c-desc\">Uraian</desc>"));
        assert!(svg.contains("viewBox=\"0 0 520 300\""));
        // No inline style: the page's content security policy forbids it.
        assert!(!svg.contains("style="));
    }

    #[test]
    fn labels_are_escaped() {
        let c = Chart {
            id: "a\"b".into(),
            title: "<script>alert(1)</script>".into(),
            description: "Tom & Jerry's".into(),
            points: vec!["<b> 2026".into()],
            ..chart(Kind::StackedBars, 1, vec![series("L<P>", &[2])])
        };
        let svg = c.svg();
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(svg.contains("Tom &amp; Jerry&#39;s"));
        assert!(svg.contains("L&lt;P&gt;"));
        assert!(svg.contains("&lt;b&gt;"));
        assert!(svg.contains("a&quot;b-title"));
        assert_eq!(escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
    }

    #[test]
    fn at_most_six_points_are_labelled_the_newest_always() {
        assert_eq!(label_step(36), 6);
        assert_eq!(label_step(6), 1);
        assert_eq!(label_step(7), 2);
        assert_eq!(label_step(0), 1);
        let svg = chart(Kind::StackedBars, 36, vec![series("L", &[1; 36])]).svg();
        assert_eq!(svg.matches("<tspan").count(), 6);
        assert!(svg.contains(">M36<tspan"));
        assert!(!svg.contains(">M35<tspan"));
    }

    #[test]
    fn a_long_legend_wraps_within_the_width() {
        let many: Vec<Series> = (0..6)
            .map(|i| series(&format!("Rangkaian yang panjang {i}"), &[1]))
            .collect();
        let c = chart(Kind::Lines, 1, many);
        let (items, height) = c.legend();
        assert!(items.iter().any(|(_, y, _)| *y > PAD + FONT));
        assert!(items.iter().all(|(x, _, _)| *x < WIDTH));
        assert!(height > 2.0 * FONT);
    }
}
