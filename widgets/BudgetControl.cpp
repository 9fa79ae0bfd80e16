#include "BudgetControl.h"

#include "eval/ServingMode.h"
#include "session/Session.h"

#include <QDoubleSpinBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>

#include <cmath>

namespace eenet {

BudgetControl::BudgetControl(Session* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_slider(new QSlider(Qt::Horizontal, this))
    , m_value(new QDoubleSpinBox(this))
    , m_share(new QLabel(this)) {
    m_slider->setRange(0, kSliderSteps);
    m_slider->setMinimumWidth(160);
    m_slider->setSingleStep(1);
    m_slider->setPageStep(50);
    m_slider->setToolTip(tr("Average cost budget per sample (arrow keys step it)"));
    m_value->setDecimals(4);
    m_value->setKeyboardTracking(false);
    m_value->setToolTip(tr("Exact budget"));
    fitShareLabel();
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(new QLabel(tr("Budget:"), this));
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_value);
    layout->addWidget(m_share);

    connect(m_slider, &QSlider::valueChanged, this, [this](int step) {
        const double range = m_session->maxBudget() - m_session->minBudget();
        m_session->setBudget(m_session->minBudget() + range * step / kSliderSteps);
    });
    connect(m_value, &QDoubleSpinBox::valueChanged, m_session, &Session::setBudget);
    connect(m_slider, &QSlider::sliderReleased, this, [this] { Q_EMIT settled(m_session->budget()); });
    connect(m_value, &QDoubleSpinBox::editingFinished, this, [this] { Q_EMIT settled(m_session->budget()); });
    // A cost model or a serving rule changes the range and the unit.
    for (auto changed :
         {&Session::predictionsLoaded, &Session::probabilitiesChanged, &Session::budgetRuleChanged})
        connect(m_session, changed, this, &BudgetControl::onPredictionsLoaded);
    connect(m_session, &Session::budgetChanged, this, &BudgetControl::showBudget);
    onPredictionsLoaded();
}

void BudgetControl::fitShareLabel() {
    // Wide enough for the widest share, so the toolbar does not jump as the budget moves.
    m_share->setMinimumWidth(
        m_share->fontMetrics().horizontalAdvance(QStringLiteral("100.0 % of full cost")));
}

void BudgetControl::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        fitShareLabel(); // presentation mode's larger font
}

void BudgetControl::onPredictionsLoaded() {
    setEnabled(m_session->hasPredictions());
    const QSignalBlocker blocker(m_value);
    // Without a file there is no budget to show: the box says so instead of a unitless 0.0000.
    m_value->setSpecialValueText(m_session->hasPredictions() ? QString() : tr("no file"));
    if (!m_session->hasPredictions()) {
        m_value->setRange(0, 0);
        m_share->clear();
        return;
    }
    const double range = m_session->maxBudget() - m_session->minBudget();
    m_value->setRange(m_session->minBudget(), m_session->maxBudget());
    m_value->setDecimals(
        std::clamp(static_cast<int>(std::ceil(-std::log10(range / kSliderSteps))) + 1, 2, 8));
    m_value->setSingleStep(range / 100);
    const QString unit = QString::fromStdString(m_session->budgetUnit());
    m_value->setSuffix(QStringLiteral(" ") + unit);
    // The box refuses values outside [c_1, c_K]: say so where the user looks.
    const auto& serving = m_session->budgetRule().serving;
    m_value->setToolTip(tr("Exact budget, from %1 to %2 %3 (the first exit's cost to the full model's)%4")
                            .arg(m_session->minBudget(), 0, 'g', 6)
                            .arg(m_session->maxBudget(), 0, 'g', 6)
                            .arg(unit)
                            .arg(serving ? tr(", per sample served in %1 batches")
                                               .arg(QString::fromStdString(servingModeName(*serving)))
                                         : QString()));
    showBudget(m_session->budget());
}

void BudgetControl::showBudget(double budget) {
    const double range = m_session->maxBudget() - m_session->minBudget();
    {
        const QSignalBlocker sliderBlocker(m_slider);
        const QSignalBlocker valueBlocker(m_value);
        m_slider->setValue(range > 0 ? static_cast<int>(std::lround((budget - m_session->minBudget()) /
                                                                    range * kSliderSteps))
                                     : 0);
        m_value->setValue(budget);
    }
    m_share->setText(tr("%1 % of full cost").arg(100.0 * budget / m_session->maxBudget(), 0, 'f', 1));
}

} // namespace eenet
