#include "ReliabilityPlot.h"
#include "ChartPalette.h"
#include "SplitText.h"

#include "session/Session.h"

#include <algorithm>

namespace eenet {
namespace {

constexpr int kMaxColumns = 4;

const CalibrationMetrics& metricsOf(const ExitCalibration& exit, Split split, bool after) {
    const BeforeAfter& shown = split == Split::Test && exit.test ? *exit.test : exit.val;
    return after ? shown.after : shown.before;
}

QString percent(double fraction) {
    return QStringLiteral("%1 %").arg(100.0 * fraction, 0, 'f', 1);
}

} // namespace

ReliabilityPlot::ReliabilityPlot(Session* session, QWidget* parent)
    : InteractivePlot(parent)
    , m_session(session)
    , m_grid(new QCPLayoutGrid)
    , m_note(new QCPTextElement(this, QString(), QFont(font().family(), 10))) {
    axisRect()->insetLayout()->take(legend);
    plotLayout()->clear();
    putLegendInRow(0);
    plotLayout()->addElement(1, 0, m_grid);
    plotLayout()->setRowStretchFactors({0.001, 1});
    m_grid->setColumnSpacing(12);
    m_grid->setRowSpacing(4);
    legend->setIconSize(14, 10);
    setAutoAddPlottableToLegend(false);
    m_note->setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
    setMinimumSize(360, 160);
    connect(m_session, &Session::calibrationChanged, this,
            [this] { refreshWhenShown([this] { rebuild(); }); });
    connect(m_session, &Session::splitChanged, this, [this] { refreshWhenShown([this] { rebuild(); }); });
    applyPalette();
    rebuild();
}

void ReliabilityPlot::setPanelCount(int count) {
    if (count == panelCount())
        return;
    for (Panel& panel : m_panels) {
        removePlottable(panel.before);
        removePlottable(panel.after);
        removePlottable(panel.diagonal);
        m_grid->remove(panel.title);
        m_grid->remove(panel.rect);
    }
    m_panels.clear();
    m_grid->simplify();
    const int columns = std::min(std::max(count, 1), kMaxColumns);
    const QFont small(font().family(), 8);
    for (int k = 0; k < count; ++k) {
        Panel panel;
        panel.rect = new QCPAxisRect(this);
        panel.title = new QCPTextElement(this, QString(), small);
        // Each panel is a title row over its axes: two grid rows per row of panels.
        m_grid->addElement(2 * (k / columns), k % columns, panel.title);
        m_grid->addElement(2 * (k / columns) + 1, k % columns, panel.rect);
        QCPAxis* x = panel.rect->axis(QCPAxis::atBottom);
        QCPAxis* y = panel.rect->axis(QCPAxis::atLeft);
        for (QCPAxis* axis : {x, y}) {
            axis->setTickLabelFont(small);
            axis->setLabelFont(small);
            axis->setLabelPadding(2);
            axis->ticker()->setTickCount(3);
            axis->setRange(0, 1);
        }
        x->setLabel(tr("confidence"));
        if (k % columns == 0)
            y->setLabel(tr("accuracy"));
        panel.before = new QCPBars(x, y);
        panel.before->setName(tr("before scaling"));
        panel.before->setWidth(1.0 / kReliabilityBins);
        panel.after = new QCPGraph(x, y);
        panel.after->setName(tr("after temperature scaling"));
        panel.diagonal = new QCPGraph(x, y);
        panel.diagonal->setName(tr("calibrated"));
        panel.diagonal->setData({0, 1}, {0, 1});
        m_panels.push_back(panel);
    }
    for (int row = 0; row < m_grid->rowCount(); ++row)
        m_grid->setRowStretchFactor(row, row % 2 == 0 ? 0.001 : 1);
    legend->clearItems();
    if (!m_panels.empty()) {
        for (QCPAbstractPlottable* plottable : std::initializer_list<QCPAbstractPlottable*>{
                 m_panels.front().before, m_panels.front().after, m_panels.front().diagonal})
            plottable->addToLegend();
        legend->setMaximumSize(legend->minimumOuterSizeHint());
    }
    applyPalette();
}

void ReliabilityPlot::rebuild() {
    const auto& calibration = m_session->calibration();
    const int exits = calibration ? static_cast<int>(calibration->size()) : 0;
    if (exits == 0) {
        setPanelCount(0);
        m_note->setText(!m_session->hasPredictions()
                            ? tr("Open a predictions file to see how well each exit's "
                                 "confidence matches its accuracy")
                            : tr("Measuring the calibration of each exit…"));
        m_note->setTextColor(ChartPalette::text(palette()));
        if (!m_note->layout())
            m_grid->addElement(0, 0, m_note);
        m_note->setVisible(true);
        legend->setVisible(false);
        replot(rpQueuedReplot);
        return;
    }
    if (m_note->layout()) {
        m_grid->take(m_note);
        m_grid->simplify();
    }
    m_note->setVisible(false);
    legend->setVisible(true);
    setPanelCount(exits);
    const Split split = m_session->split();
    const QColor splitColor = ChartPalette::split(split);
    const auto& names = m_session->predictions()->exitNames;
    for (int k = 0; k < exits; ++k) {
        const ExitCalibration& exit = calibration->at(static_cast<size_t>(k));
        const CalibrationMetrics& before = metricsOf(exit, split, false);
        const CalibrationMetrics& after = metricsOf(exit, split, true);
        Panel& panel = m_panels[static_cast<size_t>(k)];
        QVector<double> centres, accuracies, confidences, afterAccuracies;
        for (const ReliabilityBin& bin : before.bins)
            if (bin.count > 0) {
                centres << 0.5 * (bin.lower + bin.upper);
                accuracies << bin.accuracy;
            }
        for (const ReliabilityBin& bin : after.bins)
            if (bin.count > 0) {
                confidences << bin.meanConfidence;
                afterAccuracies << bin.accuracy;
            }
        panel.before->setData(centres, accuracies, true);
        panel.after->setData(confidences, afterAccuracies, true);
        QColor fill = splitColor;
        fill.setAlpha(150);
        panel.before->setBrush(fill);
        panel.before->setPen(QPen(splitColor.darker(120), 0.6));
        panel.after->setPen(QPen(ChartPalette::text(palette()), 1.6));
        panel.after->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, ChartPalette::text(palette()),
                                                     palette().color(QPalette::Base), 4));
        panel.diagonal->setPen(QPen(ChartPalette::mutedText(palette()), 1, Qt::DashLine));
        panel.title->setText(tr("%1 · %2\nECE %3 → %4 · T = %5")
                                 .arg(QString::fromStdString(names.at(static_cast<size_t>(k))),
                                      split == Split::Test ? tr("test") : tr("val"), percent(before.ece),
                                      percent(after.ece))
                                 .arg(exit.fit.temperature, 0, 'f', 2));
        panel.title->setTextColor(ChartPalette::text(palette()));
    }
    resetView();
}

void ReliabilityPlot::resetView() {
    for (Panel& panel : m_panels) {
        panel.rect->axis(QCPAxis::atBottom)->setRange(0, 1);
        panel.rect->axis(QCPAxis::atLeft)->setRange(0, 1.02);
    }
    replot(rpQueuedReplot);
}

ChartTable ReliabilityPlot::tableData() const {
    ChartTable table{{QStringLiteral("exit"), QStringLiteral("split"), QStringLiteral("scaling"),
                      QStringLiteral("bin lower"), QStringLiteral("bin upper"), QStringLiteral("count"),
                      QStringLiteral("mean confidence"), QStringLiteral("accuracy")},
                     {}};
    const auto& calibration = m_session->calibration();
    if (!calibration)
        return table;
    const Split split = m_session->split();
    for (size_t k = 0; k < calibration->size(); ++k)
        for (bool after : {false, true})
            for (const ReliabilityBin& bin : metricsOf((*calibration)[k], split, after).bins)
                table.rows.push_back({QString::number(k + 1), QString::fromStdString(splitName(split)),
                                      after ? QStringLiteral("temperature") : QStringLiteral("none"),
                                      csvNumber(bin.lower), csvNumber(bin.upper), QString::number(bin.count),
                                      bin.count > 0 ? csvNumber(bin.meanConfidence) : QString(),
                                      bin.count > 0 ? csvNumber(bin.accuracy) : QString()});
    return table;
}

} // namespace eenet
