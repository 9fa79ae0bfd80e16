#include "FlowCanvas.h"
#include "ChartPalette.h"
#include "ExitFlow.h"
#include "FlowAnimation.h"
#include "FlowTexts.h"
#include "SampleThumbnails.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace eenet {
namespace {

/// Spreads samples across their part of a band, the same place for a sample every time.
double laneOf(int sample) {
    return std::fmod(sample * 0.6180339887498949, 1.0);
}

} // namespace

FlowCanvas::FlowCanvas(QWidget* parent)
    : QWidget(parent) {}

void FlowCanvas::showFlow(const ExitFlow& flow, const QStringList& titles, const QString& caption) {
    m_flow = &flow;
    m_titles = titles;
    m_caption = caption;
    m_message.clear();
    relayout();
    update();
}

void FlowCanvas::showMessage(const QString& message) {
    m_flow = nullptr;
    m_message = message;
    relayout();
    update();
}

void FlowCanvas::setAnimation(const FlowAnimation* animation) {
    m_animation = animation;
    update();
}

void FlowCanvas::setThumbnails(std::shared_ptr<SampleThumbnails> thumbnails) {
    m_thumbnails = std::move(thumbnails);
    update();
}

void FlowCanvas::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    relayout();
}

void FlowCanvas::relayout() {
    m_labels.clear();
    m_geometry = {};
    if (!m_flow)
        return;
    FlowFonts fonts{font(), font(), font()};
    fonts.title.setBold(true);
    fonts.caption.setPointSizeF(font().pointSizeF() + 1);
    const FlowTexts texts = fitFlowTexts(*m_flow, m_titles, m_caption,
                                         FlowGeometry::textWidths(rect(), m_flow->numExits()), fonts);
    m_geometry = FlowGeometry(rect(), *m_flow, texts.heights(fonts));

    m_labels.push_back({m_geometry.title(), {texts.title, {}}, fonts.title, false});
    for (size_t k = 0; k < m_geometry.stages().size(); ++k) {
        const FlowGeometry::Stage& stage = m_geometry.stages()[k];
        m_labels.push_back({stage.stageText, {texts.stages[k], {}}, fonts.label, false});
        m_labels.push_back({stage.gateText, {texts.gates[k], {}}, fonts.label, false});
        m_labels.push_back({stage.trayText, texts.trays[k], fonts.label, true});
    }
    m_labels.push_back({m_geometry.caption(), {texts.caption, {}}, fonts.caption, false});
}

void FlowCanvas::paintEvent(QPaintEvent* /*event*/) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    if (!m_flow) {
        painter.setPen(ChartPalette::mutedText(palette()));
        painter.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, m_message);
        return;
    }
    paintBands(painter);
    paintLabels(painter);
    paintFlights(painter);
}

void FlowCanvas::paintBands(QPainter& painter) const {
    const QColor text = ChartPalette::text(palette());
    painter.setPen(QPen(ChartPalette::mutedText(palette()), 1));
    painter.setBrush(palette().color(QPalette::Base));
    for (const FlowGeometry::Stage& stage : m_geometry.stages())
        painter.drawRoundedRect(stage.box, 4, 4);

    // Grey while still computing; colour only once the gate has decided, and then it means right or wrong.
    QColor computing = ChartPalette::mutedText(palette());
    computing.setAlpha(110);
    painter.setPen(Qt::NoPen);
    painter.setBrush(computing);
    painter.drawPath(m_geometry.computingBand());
    for (int k = 0; k < m_flow->numExits(); ++k)
        for (bool correct : {true, false}) {
            QColor fill = ChartPalette::truth(correct);
            fill.setAlpha(190);
            painter.setBrush(fill);
            painter.drawPath(m_geometry.leavingBand(k, correct));
        }

    // The oracle's gates are dashed: it has no rule there, it knows where each sample should leave.
    painter.setPen(QPen(text, 3, m_flow->isOracle() ? Qt::DotLine : Qt::SolidLine, Qt::FlatCap));
    const double top = m_geometry.bandTop() - 3;
    const double bottom = m_geometry.bandTop() + m_geometry.bandHeight() + 3;
    for (const FlowGeometry::Stage& stage : m_geometry.stages())
        painter.drawLine(QPointF(stage.gateX, top), QPointF(stage.gateX, bottom));
    painter.setPen(QPen(ChartPalette::grid(palette()), 1));
    for (const FlowGeometry::Stage& stage : m_geometry.stages())
        painter.drawLine(QPointF(stage.column.left() + 2, m_geometry.trayY()),
                         QPointF(stage.column.right() - 2, m_geometry.trayY()));
}

void FlowCanvas::paintLabels(QPainter& painter) const {
    painter.setPen(ChartPalette::text(palette()));
    for (const FlowLabel& label : m_labels) {
        painter.setFont(label.font);
        const QFontMetricsF metrics(label.font);
        const QStringList& lines = label.text.lines;
        const std::vector<QColor>& swatches = label.text.swatches;
        const auto swatchOf = [&](int n) {
            return n < static_cast<int>(swatches.size()) ? swatches[static_cast<size_t>(n)] : QColor();
        };
        const double indent = swatchIndent(label.font);
        double blockWidth = 0;
        for (int n = 0; n < lines.size(); ++n)
            blockWidth = std::max(blockWidth, (swatchOf(n).isValid() ? indent : 0.0) +
                                                  metrics.horizontalAdvance(lines[n]));
        const double left = label.centred ? label.rect.center().x() - blockWidth / 2 : label.rect.left();
        for (int n = 0; n < lines.size(); ++n) {
            const double baseline = label.rect.top() + metrics.ascent() + n * metrics.lineSpacing();
            double x = left;
            if (swatchOf(n).isValid()) {
                const double side = indent - 4;
                painter.fillRect(QRectF(x, baseline - side, side, side), swatchOf(n));
                x += indent;
            }
            painter.drawText(QPointF(x, baseline), lines[n]);
        }
    }
}

void FlowCanvas::paintFlights(QPainter& painter) const {
    if (!m_animation)
        return;
    const bool images = m_thumbnails && m_thumbnails->kind() == InputKind::Image;
    const double side = m_geometry.markerPx();
    const double dot = std::max(8.0, 0.55 * side);
    for (const Flight& flight : m_animation->flights()) {
        // At the flight's own exit: one past its gate keeps it when a new budget moves the sample elsewhere.
        const bool correct = m_flow->correctAt(flight.exit, flight.sample);
        const QPointF at = m_geometry.pointOf(flight, correct, laneOf(flight.sample));
        // Like the bands: no colour before the gate, the truth colour once the sample leaves.
        const QColor frame = flight.leaving() ? ChartPalette::truth(correct) : ChartPalette::text(palette());
        const QImage image = images ? m_thumbnails->image(flight.sample) : QImage();
        if (!image.isNull()) {
            QRectF box(0, 0, side, side);
            box.moveCenter(at);
            painter.drawImage(box, image);
            painter.setPen(QPen(frame, 2));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(box);
            continue;
        }
        // Outlined in the background colour once it leaves, so it stands out on its band of the same colour.
        painter.setPen(QPen(flight.leaving() ? palette().color(QPalette::Base) : frame, 1.5));
        painter.setBrush(flight.leaving() ? frame : palette().color(QPalette::Base));
        painter.drawEllipse(at, dot / 2, dot / 2);
    }
}

QString FlowCanvas::toolTipAt(const QPointF& point) const {
    if (!m_flow)
        return {};
    if (m_geometry.title().contains(point))
        return QString::fromStdString(m_flow->snapshot().note);
    const int exit = m_geometry.exitAt(point);
    return exit < 0 ? QString() : exitToolTip(exit);
}

QString FlowCanvas::exitToolTip(int exit) const {
    const FlowBand& band = m_flow->bands()[static_cast<size_t>(exit)];
    const PolicySnapshot& snapshot = m_flow->snapshot();
    const int total = m_flow->numSamples();
    QString rule;
    if (m_flow->isOracle())
        rule = tr("the oracle knows the right exit (%1)").arg(QString::fromStdString(snapshot.note));
    else if (exit + 1 == m_flow->numExits())
        rule = tr("the last exit takes everyone still computing");
    else
        rule = tr("leave if %1 ≥ %2 (T<sub>%3</sub>)")
                   .arg(QString::fromStdString(snapshot.scoreName).toHtmlEscaped(),
                        QString::number(snapshot.thresholds[static_cast<size_t>(exit)], 'g', 6))
                   .arg(exit + 1);
    QString text =
        tr("<b>%1</b><br>cost of running the network up to here: %2<br>gate: %3")
            .arg(QString::fromStdString(m_flow->exitNames()[static_cast<size_t>(exit)]).toHtmlEscaped(),
                 m_flow->costText(m_flow->costs()[static_cast<size_t>(exit)]), rule);
    text += tr("<br>reach this exit: %1 of %2 (%3 %)")
                .arg(band.entering())
                .arg(total)
                .arg(percentText(band.entering(), total));
    text += tr("<br>leave here: %1 (%2 % of all): %3 correct, %4 wrong")
                .arg(band.left())
                .arg(percentText(band.left(), total))
                .arg(band.leftCorrect)
                .arg(band.leftWrong);
    if (band.left() > 0)
        text +=
            tr("<br>accuracy of those leaving here: %1 %").arg(percentText(band.leftCorrect, band.left()));
    if (exit + 1 < m_flow->numExits())
        text += tr("<br>go on to the next exit: %1 (%2 %)")
                    .arg(band.continuing)
                    .arg(percentText(band.continuing, total));
    return text;
}

bool FlowCanvas::event(QEvent* event) {
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    const auto* help = static_cast<QHelpEvent*>(event);
    const QString text = toolTipAt(help->pos());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(help->globalPos(), text, this);
    return true;
}

} // namespace eenet
