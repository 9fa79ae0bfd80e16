#include "ChartExport.h"

#include "Error.h"
#include "io/AtomicFile.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHash>
#include <QImage>
#include <QLabel>
#include <QMessageBox>
#include <QPageLayout>
#include <QPdfWriter>
#include <QSettings>
#include <QSpinBox>
#include <QStatusTipEvent>
#include <QSvgGenerator>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace eenet {
namespace {

QString translated(const char* text) {
    return QCoreApplication::translate("eenet::ChartExport", text);
}

[[noreturn]] void fail(const QString& path, const QString& problem) {
    throw IoError(QDir::toNativeSeparators(path).toStdString(), problem.toStdString());
}

void writeAtomically(const QString& path, const QByteArray& bytes) {
    writeFileAtomically(QDir::toNativeSeparators(path).toStdString(), bytes);
}

QByteArray renderPng(QCustomPlot& plot, const QString& path, int width, int height, int dpi) {
    // Laid out at the logical size, drawn `dpi / 96` times finer: the picture of the screen, sharper.
    QImage image = plot.toPixmap(width, height, static_cast<double>(dpi) / kScreenDpi).toImage();
    const int dotsPerMeter = qRound(dpi / 0.0254);
    image.setDotsPerMeterX(dotsPerMeter);
    image.setDotsPerMeterY(dotsPerMeter);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (image.isNull() || !image.save(&buffer, "PNG"))
        fail(path, QStringLiteral("cannot render the chart as PNG"));
    return bytes;
}

/// Draws the plot through a vector painter on `device`, whose logical size is width x height. The device
/// resolution is the widget's, so fonts keep their size relative to the chart.
bool paintVectorized(QCustomPlot& plot, QPaintDevice* device, int width, int height) {
    QCPPainter painter;
    if (!painter.begin(device))
        return false;
    painter.setMode(QCPPainter::pmVectorized);
    painter.setWindow(0, 0, width, height);
    plot.toPainter(&painter, width, height);
    return painter.end();
}

QByteArray renderPdf(QCustomPlot& plot, const QString& path, int width, int height) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    bool painted = false;
    {
        QPdfWriter writer(&buffer);
        writer.setResolution(plot.logicalDpiX());
        writer.setCreator(QStringLiteral("EENet Studio"));
        // One page exactly the chart's size, a point per pixel.
        writer.setPageLayout(
            QPageLayout(QPageSize(QSizeF(width, height), QPageSize::Point, QString(), QPageSize::ExactMatch),
                        QPageLayout::Portrait, QMarginsF()));
        painted = paintVectorized(plot, &writer, width, height);
    }
    if (!painted || bytes.isEmpty())
        fail(path, QStringLiteral("cannot render the chart as PDF"));
    return bytes;
}

/// The most frequent colour of a texture: the background of a hatch.
QColor dominantColor(const QImage& texture) {
    QHash<QRgb, int> counts;
    const QImage image = texture.convertToFormat(QImage::Format_ARGB32);
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            ++counts[image.pixel(x, y)];
    QRgb best = qRgb(128, 128, 128);
    int bestCount = 0;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        if (it.value() > bestCount) {
            best = it.key();
            bestCount = it.value();
        }
    return QColor::fromRgba(best);
}

/// QSvgGenerator (Qt 6.4) drops texture brushes, which would leave hatched bars unfilled: while the SVG is
/// painted, plottables filled with a texture get a solid brush of the texture's background colour.
class SolidTextureBrushes {
public:
    explicit SolidTextureBrushes(QCustomPlot& plot) {
        for (int i = 0; i < plot.plottableCount(); ++i) {
            QCPAbstractPlottable* plottable = plot.plottable(i);
            if (plottable->brush().style() != Qt::TexturePattern)
                continue;
            m_saved.emplace_back(plottable, plottable->brush());
            plottable->setBrush(dominantColor(plottable->brush().textureImage()));
        }
    }
    ~SolidTextureBrushes() {
        for (const auto& [plottable, brush] : m_saved)
            plottable->setBrush(brush);
    }
    SolidTextureBrushes(const SolidTextureBrushes&) = delete;
    SolidTextureBrushes& operator=(const SolidTextureBrushes&) = delete;

private:
    std::vector<std::pair<QCPAbstractPlottable*, QBrush>> m_saved;
};

QByteArray renderSvg(QCustomPlot& plot, const QString& path, int width, int height) {
    const SolidTextureBrushes solidBrushes(plot);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    bool painted = false;
    {
        QSvgGenerator generator;
        generator.setOutputDevice(&buffer);
        generator.setSize(QSize(width, height));
        generator.setViewBox(QRect(0, 0, width, height));
        generator.setResolution(plot.logicalDpiX());
        generator.setTitle(QFileInfo(path).completeBaseName());
        generator.setDescription(QStringLiteral("Chart exported from EENet Studio"));
        painted = paintVectorized(plot, &generator, width, height);
    }
    if (!painted || bytes.isEmpty())
        fail(path, QStringLiteral("cannot render the chart as SVG"));
    return bytes;
}

QString csvField(const QString& field) {
    if (!field.contains(QLatin1Char(',')) && !field.contains(QLatin1Char('"')) &&
        !field.contains(QLatin1Char('\n')) && !field.contains(QLatin1Char('\r')))
        return field;
    QString quoted = field;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

/// Where the last export went, so the next dialog opens there (for this run of the studio).
QString& lastDirectory() {
    static QString directory = QDir::homePath();
    return directory;
}

void showStatusTip(QWidget* widget, const QString& text) {
    // Travels up to the main window, which shows it in its status bar.
    QStatusTipEvent tip(text);
    QCoreApplication::sendEvent(widget, &tip);
}

void showFailure(QWidget* parent, const QString& path, const Error& error) {
    auto* box = new QMessageBox(QMessageBox::Warning, translated("Export failed"),
                                translated("Could not export to %1.").arg(QDir::toNativeSeparators(path)),
                                QMessageBox::Ok, parent);
    box->setInformativeText(QString::fromStdString(error.what()));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace

ImageFormat imageFormatForPath(const QString& path, ImageFormat fallback) {
    for (ImageFormat format : {ImageFormat::Png, ImageFormat::Pdf, ImageFormat::Svg})
        if (path.endsWith(imageExtension(format), Qt::CaseInsensitive))
            return format;
    return fallback;
}

QString imageExtension(ImageFormat format) {
    switch (format) {
    case ImageFormat::Pdf:
        return QStringLiteral(".pdf");
    case ImageFormat::Svg:
        return QStringLiteral(".svg");
    case ImageFormat::Png:
        break;
    }
    return QStringLiteral(".png");
}

QString withExtension(const QString& path, ImageFormat format) {
    const QString extension = imageExtension(format);
    if (path.endsWith(extension, Qt::CaseInsensitive))
        return path;
    // "plot." gets "png", not a second dot.
    return path.endsWith(QLatin1Char('.')) ? path + extension.mid(1) : path + extension;
}

void exportChart(QCustomPlot& plot, const QString& path, ImageFormat format, int width, int height, int dpi) {
    if (dpi < 1)
        fail(path, QStringLiteral("a resolution of %1 dpi is not possible").arg(dpi));
    if (width <= 0 || height <= 0) {
        width = std::max(plot.width(), 1);
        height = std::max(plot.height(), 1);
    }
    QByteArray bytes;
    switch (format) {
    case ImageFormat::Png:
        bytes = renderPng(plot, path, width, height, dpi);
        break;
    case ImageFormat::Pdf:
        bytes = renderPdf(plot, path, width, height);
        break;
    case ImageFormat::Svg:
        bytes = renderSvg(plot, path, width, height);
        break;
    }
    // Rendering laid the chart out at the export size: lay it out again for the screen, so hovering and
    // clicking map to the right data.
    plot.replot();
    writeAtomically(path, bytes);
}

QString csvLine(const QStringList& fields) {
    QStringList escaped;
    escaped.reserve(fields.size());
    for (const QString& field : fields)
        escaped << csvField(field);
    return escaped.join(QLatin1Char(','));
}

void writeCsv(const QString& path, const QStringList& header, const std::vector<QStringList>& rows) {
    QString text = csvLine(header) + QStringLiteral("\r\n");
    for (const QStringList& row : rows)
        text += csvLine(row) + QStringLiteral("\r\n");
    writeAtomically(path, text.toUtf8());
}

QString csvNumber(double value) {
    if (std::isnan(value))
        return QString();
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

void exportImageInteractively(QCustomPlot& plot, const QString& baseName) {
    const QString pdfFilter = translated("PDF document (*.pdf)");
    const QString svgFilter = translated("SVG image (*.svg)");
    const QString filters = QStringList{translated("PNG image (*.png)"), pdfFilter, svgFilter}.join(";;");
    QString chosenFilter;
    QString path = QFileDialog::getSaveFileName(
        &plot, translated("Export Image"), QDir(lastDirectory()).filePath(baseName + QStringLiteral(".png")),
        filters, &chosenFilter);
    if (path.isEmpty())
        return;
    // An extension the user typed wins; otherwise the chosen filter's is added.
    const ImageFormat chosen = chosenFilter == pdfFilter   ? ImageFormat::Pdf
                               : chosenFilter == svgFilter ? ImageFormat::Svg
                                                           : ImageFormat::Png;
    const ImageFormat format = imageFormatForPath(path, chosen);
    path = withExtension(path, format);
    lastDirectory() = QFileInfo(path).absolutePath();
    try {
        const ImageExportSize size = imageExportSize();
        exportChart(plot, path, format, size.width, size.height, size.dpi);
        showStatusTip(&plot, translated("Chart exported to %1").arg(QDir::toNativeSeparators(path)));
    } catch (const Error& error) {
        showFailure(&plot, path, error);
    }
}

ImageExportSize imageExportSize() {
    const QSettings settings;
    ImageExportSize size;
    size.width = settings.value(QStringLiteral("chartExport/width"), size.width).toInt();
    size.height = settings.value(QStringLiteral("chartExport/height"), size.height).toInt();
    size.dpi = settings.value(QStringLiteral("chartExport/dpi"), size.dpi).toInt();
    return size;
}

void setImageExportSize(const ImageExportSize& size) {
    QSettings settings;
    settings.setValue(QStringLiteral("chartExport/width"), size.width);
    settings.setValue(QStringLiteral("chartExport/height"), size.height);
    settings.setValue(QStringLiteral("chartExport/dpi"), size.dpi);
}

bool askImageExportSize(QWidget* parent) {
    const ImageExportSize current = imageExportSize();
    QDialog dialog(parent);
    dialog.setWindowTitle(translated("Image Export Size"));
    auto* form = new QFormLayout(&dialog);
    const auto spin = [&dialog](int value, int maximum, const QString& special) {
        auto* box = new QSpinBox(&dialog);
        box->setRange(0, maximum);
        box->setSpecialValueText(special);
        box->setValue(value);
        return box;
    };
    QSpinBox* width = spin(current.width, 20000, translated("as on screen"));
    QSpinBox* height = spin(current.height, 20000, translated("as on screen"));
    QSpinBox* dpi = spin(current.dpi, 2400, QString());
    dpi->setMinimum(72);
    width->setSuffix(translated(" px"));
    height->setSuffix(translated(" px"));
    dpi->setSuffix(translated(" dpi"));
    form->addRow(translated("Width (1/96 inch)"), width);
    form->addRow(translated("Height (1/96 inch)"), height);
    form->addRow(translated("PNG resolution"), dpi);
    form->addRow(new QLabel(translated("PDF and SVG are vector: a point per pixel. A PNG at 300 dpi prints "
                                       "sharp at the size above."),
                            &dialog));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    setImageExportSize({width->value(), height->value(), dpi->value()});
    return true;
}

void exportCsvInteractively(QWidget* parent, const QString& baseName,
                            const std::function<void(const QString& path)>& write) {
    QString path = QFileDialog::getSaveFileName(parent, translated("Export Data as CSV"),
                                                QDir(lastDirectory()).filePath(baseName + ".csv"),
                                                translated("CSV file (*.csv)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive))
        path += QStringLiteral(".csv");
    lastDirectory() = QFileInfo(path).absolutePath();
    try {
        write(path);
        showStatusTip(parent, translated("Data exported to %1").arg(QDir::toNativeSeparators(path)));
    } catch (const Error& error) {
        showFailure(parent, path, error);
    }
}

} // namespace eenet
