#include "CurveStyle.h"
#include "ChartPalette.h"

#include <cmath>
#include <map>

namespace eenet::curveStyle {
namespace {

/// The method a "-opt" variant searches thresholds for ("maxprob-opt" gives "maxprob").
std::string baseMethod(const std::string& method) {
    const std::string suffix = "-opt";
    return method.size() > suffix.size() &&
                   method.compare(method.size() - suffix.size(), suffix.size(), suffix) == 0
               ? method.substr(0, method.size() - suffix.size())
               : method;
}

} // namespace

bool isSearched(const std::string& method) {
    return baseMethod(method) != method;
}

QCPScatterStyle::ScatterShape markerShape(const std::string& method) {
    static const std::map<std::string, QCPScatterStyle::ScatterShape> shapes{
        {"eenet", QCPScatterStyle::ssCircle},     {"maxprob", QCPScatterStyle::ssSquare},
        {"entropy", QCPScatterStyle::ssTriangle}, {"patience", QCPScatterStyle::ssTriangleInverted},
        {"agreement", QCPScatterStyle::ssCross},  {"oracle", QCPScatterStyle::ssCircle}};
    const auto found = shapes.find(baseMethod(method));
    return found != shapes.end() ? found->second : QCPScatterStyle::ssStar;
}

void setDashes(QPen& pen, const std::string& method) {
    if (isSearched(method))
        pen.setDashPattern({5, 2.5});
    else if (method == "agreement")
        pen.setDashPattern({6, 2, 1.5, 2});
}

QCPScatterStyle singleExit(const QPalette& palette) {
    return QCPScatterStyle(QCPScatterStyle::ssDiamond, ChartPalette::text(palette),
                           ChartPalette::singleExit(), 10);
}

QCPScatterStyle customPoint(const QPalette& palette) {
    // A filled five-pointed star (QCustomPlot's ssStar is lines only). QCustomPlot scales a custom path by
    // size / 6: outer radius 3 makes the star `kSizePx` wide.
    constexpr double kSizePx = 17;
    QPainterPath star;
    for (int i = 0; i < 10; ++i) {
        const double radius = i % 2 == 0 ? 3.0 : 1.3;
        const double angle = M_PI * (i / 5.0 - 0.5);
        const QPointF point(radius * std::cos(angle), radius * std::sin(angle));
        if (i == 0)
            star.moveTo(point);
        else
            star.lineTo(point);
    }
    star.closeSubpath();
    // Cosmetic: the outline stays one pixel and a bit whatever the path's scale.
    QPen outline(ChartPalette::text(palette), 1.2);
    outline.setCosmetic(true);
    return QCPScatterStyle(star, outline, ChartPalette::method("custom"), kSizePx);
}

QString joined(const std::vector<double>& values, int decimals) {
    QStringList parts;
    for (double v : values)
        parts << (std::isinf(v) ? (v > 0 ? QStringLiteral("∞") : QStringLiteral("−∞"))
                                : QString::number(v, 'f', decimals));
    return parts.join(QStringLiteral(", "));
}

} // namespace eenet::curveStyle
