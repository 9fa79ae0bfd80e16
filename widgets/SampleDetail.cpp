#include "SampleDetail.h"

#include "SampleThumbnails.h"
#include "WrappedLabel.h"
#include "session/Session.h"

#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace eenet {
namespace {

/// Side of the square the input image is scaled into: 28 px images show 4x.
constexpr int kInputBoxPx = 112;

/// The split's predictions; nullptr when the file has no such split.
const SplitPredictions* splitData(const Predictions& predictions, Split split) {
    return split == Split::Val ? &predictions.val : predictions.test ? &*predictions.test : nullptr;
}

QString percent(float probability) {
    // A no-break space: "56 %" never splits over two lines in the narrow pane.
    return QStringLiteral("%1\u00a0%").arg(100.0 * probability, 0, 'f', probability < 0.1f ? 1 : 0);
}

} // namespace

SampleDetail::SampleDetail(Session* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_heading(new WrappedLabel(this))
    , m_input(new QLabel(this))
    , m_exits(new WrappedLabel(this)) {
    m_input->setAlignment(Qt::AlignCenter);
    m_input->setWordWrap(true);
    m_exits->setTextFormat(Qt::RichText);
    m_exits->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    // Many exits or long class names scroll rather than squeeze the table beside the pane.
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* content = new QWidget(scroll);
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addWidget(m_input);
    contentLayout->addWidget(m_exits, 1);
    scroll->setWidget(content);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 0, 0, 0);
    layout->addWidget(m_heading);
    layout->addWidget(scroll, 1);
    setMinimumWidth(200);
    connect(m_session, &Session::snapshotChanged, this, &SampleDetail::refresh);
    connect(m_session, &Session::predictionsLoaded, this, [this] { showSample(Split::Val, -1); });
    refresh();
}

void SampleDetail::showSample(Split split, int index) {
    m_split = split;
    m_index = index;
    showInput();
    refresh();
}

void SampleDetail::showInput() {
    m_input->clear();
    const auto& predictions = m_session->predictions();
    const SplitPredictions* data = predictions && m_index >= 0 ? splitData(*predictions, m_split) : nullptr;
    m_input->setVisible(data && data->inputs);
    if (!data || !data->inputs)
        return;
    try {
        const SampleInput input = data->inputs->read(m_index);
        if (input.kind == InputKind::Image)
            m_input->setPixmap(QPixmap::fromImage(
                SampleThumbnails::fitToBox(SampleThumbnails::toImage(input), kInputBoxPx)));
        else
            m_input->setText(QStringLiteral("“%1”").arg(QString::fromStdString(input.text)));
    } catch (const std::exception& error) {
        m_input->setText(tr("The input cannot be read: %1").arg(QString::fromUtf8(error.what())));
    }
}

void SampleDetail::refresh() {
    const auto& predictions = m_session->predictions();
    const SplitPredictions* split = predictions && m_index >= 0 ? splitData(*predictions, m_split) : nullptr;
    if (!split || m_index >= split->numSamples) {
        m_heading->setText(tr("Click a row to see the sample"));
        m_exits->clear();
        return;
    }
    const SplitPredictions& data = *split;
    const int label = data.labels.at(static_cast<size_t>(m_index));
    m_heading->setText(tr("<b>Sample %1</b> (%2) · label <b>%3</b>")
                           .arg(m_index)
                           .arg(m_split == Split::Test ? tr("test") : tr("validation"),
                                QString::fromStdString(predictions->classNames.at(static_cast<size_t>(label)))
                                    .toHtmlEscaped()));
    m_exits->setText(exitLines());
}

QString SampleDetail::exitLines() const {
    const Predictions& predictions = *m_session->predictions();
    const SplitPredictions& data = *splitData(predictions, m_split);
    const auto& snapshot = m_session->snapshot();
    const SplitPolicy* policy = snapshot && snapshot->available ? snapshot->split(m_split) : nullptr;
    const int taken = policy ? policy->outcome.exitOf.at(static_cast<size_t>(m_index)) : -1;
    const int label = data.labels.at(static_cast<size_t>(m_index));
    const int classes = predictions.numClasses;
    std::vector<int> order(static_cast<size_t>(classes));
    QString html;
    for (int k = 0; k < predictions.numExits; ++k) {
        const float* p = data.row(classes, k, m_index);
        std::iota(order.begin(), order.end(), 0);
        const int top = std::min(kTopClasses, classes);
        std::partial_sort(order.begin(), order.begin() + top, order.end(),
                          [p](int a, int b) { return p[a] > p[b] || (p[a] == p[b] && a < b); });
        QStringList ranked;
        for (int r = 0; r < top; ++r) {
            const int c = order[static_cast<size_t>(r)];
            QString entry = QStringLiteral("%1 %2").arg(
                QString::fromStdString(predictions.classNames[static_cast<size_t>(c)]).toHtmlEscaped(),
                percent(p[c]));
            if (r == 0)
                entry += c == label ? QStringLiteral(" ✓") : QStringLiteral(" ✗");
            ranked << entry;
        }
        QString rule;
        const bool last = k + 1 == predictions.numExits;
        if (policy && policy->scores && !last) {
            const double score = (*policy->scores)(k, m_index);
            const double threshold = snapshot->thresholds.at(static_cast<size_t>(k));
            rule = !std::isfinite(threshold) ? tr("score %1; T = ∞, nobody exits here").arg(score, 0, 'g', 3)
                   : score >= threshold
                       ? tr("score %1 ≥ T %2").arg(score, 0, 'g', 3).arg(threshold, 0, 'g', 3)
                       : tr("score %1 < T %2").arg(score, 0, 'g', 3).arg(threshold, 0, 'g', 3);
        } else if (last) {
            rule = tr("the last exit takes everyone left");
        }
        const QString name =
            QString::fromStdString(predictions.exitNames[static_cast<size_t>(k)]).toHtmlEscaped();
        const QString verdict = k == taken                ? tr(" — <b>leaves here</b>")
                                : k > taken && taken >= 0 ? tr(" — never run")
                                                          : QString();
        const QString line =
            tr("%1: %2<br>&nbsp;&nbsp;<small>%3%4</small>")
                .arg(name, ranked.join(QStringLiteral(" · ")), rule.toHtmlEscaped(), verdict);
        // The exit taken is marked; those after it never run, and show greyed as what they would have said.
        html += (k == taken                ? QStringLiteral("<p style='margin:2px'>▶ %1</p>")
                 : k > taken && taken >= 0 ? QStringLiteral("<p style='margin:2px; color:gray'>%1</p>")
                                           : QStringLiteral("<p style='margin:2px'>%1</p>"))
                    .arg(line);
    }
    return html;
}

} // namespace eenet
