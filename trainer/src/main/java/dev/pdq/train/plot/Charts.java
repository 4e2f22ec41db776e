package dev.pdq.train.plot;

import dev.pdq.train.files.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Line charts written as PNG (XChart, headless), atomically. */
public final class Charts {
    public static final int WIDTH = 800;
    public static final int HEIGHT = 500;

    static {
        // no display is needed, and none may exist (servers, CI)
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** One line: y against x; NaN points are left out. */
    public record Series(String name, double[] x, double[] y) {
    }

    /**
     * Writes a line chart to {@code target} (PNG).
     *
     * @param logX a logarithmic x axis (non-positive points are then left out)
     * @param logY a logarithmic y axis (likewise)
     */
    public static void writePng(Path target, String title, String xLabel, String yLabel, boolean logX, boolean logY,
                                List<Series> series) throws IOException {
        AtomicFiles.write(target, png(title, xLabel, yLabel, logX, logY, series));
    }

    /** The PNG bytes of a line chart, as {@link #writePng} draws it, for any {@link AtomicFiles.Content} sink. */
    public static AtomicFiles.Content png(String title, String xLabel, String yLabel, boolean logX, boolean logY,
                                          List<Series> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendVisible(series.size() > 1);
        boolean any = false;
        for (Series s : series) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < s.x().length; i++) {
                double x = s.x()[i];
                double y = s.y()[i];
                if (Double.isFinite(y) && Double.isFinite(x) && (!logY || y > 0) && (!logX || x > 0)) {
                    xs.add(s.x()[i]);
                    ys.add(y);
                }
            }
            if (!xs.isEmpty()) {
                XYSeries line = chart.addSeries(s.name(), xs, ys);
                line.setMarker(SeriesMarkers.CIRCLE);
                any = true;
            }
        }
        if (!any) {
            chart.setTitle(title + " (no data yet)");
            chart.getStyler().setXAxisLogarithmic(false);
            chart.getStyler().setYAxisLogarithmic(false);
        }
        return out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
}
