#pragma once

#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

class QCustomPlot;
class QWidget;

namespace eenet {

/// The numbers a chart draws, one row per drawn value (a point, a bar, a cell), for CSV export.
struct ChartTable {
    QStringList header;
    std::vector<QStringList> rows;
};

enum class ImageFormat { Png, Pdf, Svg };

/// The format named by the path's extension (case-insensitive); `fallback` when it names none.
ImageFormat imageFormatForPath(const QString& path, ImageFormat fallback = ImageFormat::Png);

/// ".png", ".pdf" or ".svg".
QString imageExtension(ImageFormat format);

/// `path` with the format's extension added when it does not already end with it ("plot" and "plot.txt"
/// become "plot.png" and "plot.txt.png"; "plot.PNG" stays).
QString withExtension(const QString& path, ImageFormat format);

/// The screen resolution charts are laid out at: a logical pixel is 1/96 inch.
constexpr int kScreenDpi = 96;

/// Renders `plot` as it is now (ranges, palette) at width x height logical pixels (0: the widget's size) and
/// writes it to `path`. A PNG is drawn at `dpi` (fonts and lines scaled with it: 300 dpi gives 3.125 image
/// pixels per logical pixel) and records that resolution, so it prints at width/96 x height/96 inches;
/// PDF and SVG are vector, a point per logical pixel. The whole file is rendered in memory first and then
/// written atomically: on failure an existing file at `path` is left untouched. Throws IoError naming the
/// path and the reason.
void exportChart(QCustomPlot& plot, const QString& path, ImageFormat format, int width = 0, int height = 0,
                 int dpi = kScreenDpi);

/// The size image exports use (the context menu's "Image Export Size…", remembered between runs).
struct ImageExportSize {
    /// Logical pixels; 0 means the chart's size on screen.
    int width = 0;
    int height = 0;
    /// PNG resolution: publication-ready by default.
    int dpi = 300;
};
ImageExportSize imageExportSize();
void setImageExportSize(const ImageExportSize& size);
/// Asks for the size and resolution (a small dialog) and remembers them; false when cancelled.
bool askImageExportSize(QWidget* parent);

/// Writes an RFC 4180 CSV file (UTF-8, CRLF line ends; fields holding a comma, a quote or a line break are
/// quoted, quotes doubled), atomically like exportChart. Throws IoError naming the path and the reason.
void writeCsv(const QString& path, const QStringList& header, const std::vector<QStringList>& rows);

/// One CSV line (without its line end).
QString csvLine(const QStringList& fields);

/// A number as CSV text: the shortest form that reads back to the same double, "inf" / "-inf" for
/// infinities, empty for NaN.
QString csvNumber(double value);

/// Dialog front ends (thin, not unit-tested): ask for a path, call the writer, then show a short status
/// tip on success or a non-blocking message box naming the path and the reason on failure. `baseName`
/// suggests the file name.
void exportImageInteractively(QCustomPlot& plot, const QString& baseName);
void exportCsvInteractively(QWidget* parent, const QString& baseName,
                            const std::function<void(const QString& path)>& write);

} // namespace eenet
