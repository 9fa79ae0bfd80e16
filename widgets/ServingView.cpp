#include "ServingView.h"
#include "DeferredRefresh.h"
#include "ServingPlot.h"
#include "SplitText.h"
#include "WrappedLabel.h"

#include "data/CostModels.h"
#include "eval/ServingProfile.h"
#include "session/Session.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

namespace eenet {
namespace {

QString number(double value) {
    return QString::number(value, 'g', 3);
}

QString speedup(double full, double cost) {
    return QStringLiteral("%1×").arg(full / cost, 0, 'f', 2);
}

} // namespace

ServingView::ServingView(Session* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_costModel(new QComboBox(this))
    , m_mode(new QComboBox(this))
    , m_batch(new QSpinBox(this))
    , m_guarantee(new QCheckBox(tr("Hold on new data (%1 %)").arg(100 * kGuaranteeConfidence), this))
    , m_caption(new WrappedLabel(this))
    , m_costPlot(new ServingPlot(ServingPlot::Quantity::CostPerSample, this))
    , m_speedupPlot(new ServingPlot(ServingPlot::Quantity::Speedup, this)) {
    m_costModel->setToolTip(tr("The cost vector budgets, curves, schedulers and exports are in: the file's "
                               "/exits/costs, /exits/flops or a named /exits/extra_costs vector"));
    m_mode->addItem(tr("per sample"), static_cast<int>(RunMode::Sample));
    m_mode->addItem(tr("sync batches"), static_cast<int>(RunMode::Sync));
    m_mode->addItem(tr("compact batches"), static_cast<int>(RunMode::Compact));
    m_mode->setToolTip(tr("What a budget bounds: the average cost of a sample served one at a time, or the "
                          "cost per sample of batches that run until their deepest sample leaves (sync) or "
                          "that drop samples as they leave (compact)"));
    m_batch->setRange(2, 4096);
    m_batch->setValue(32);
    m_batch->setPrefix(tr("batch "));
    m_batch->setToolTip(tr("Samples per batch in sync and compact serving"));
    m_guarantee->setToolTip(
        tr("Fit thresholds so that the average cost on new data from the same distribution stays within the "
           "budget with %1 % confidence (a bootstrap of the validation split), not only on validation")
            .arg(100 * kGuaranteeConfidence));
    m_caption->setTextFormat(Qt::RichText);

    auto* controls = new QHBoxLayout;
    auto* costLabel = new QLabel(tr("C&ost model:"), this);
    costLabel->setBuddy(m_costModel);
    auto* modeLabel = new QLabel(tr("&Budgets hold:"), this);
    modeLabel->setBuddy(m_mode);
    controls->addWidget(costLabel);
    controls->addWidget(m_costModel);
    controls->addSpacing(12);
    controls->addWidget(modeLabel);
    controls->addWidget(m_mode);
    controls->addWidget(m_batch);
    controls->addSpacing(12);
    controls->addWidget(m_guarantee);
    controls->addStretch(1);
    auto* plots = new QSplitter(Qt::Horizontal, this);
    plots->addWidget(m_costPlot);
    plots->addWidget(m_speedupPlot);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addLayout(controls);
    layout->addWidget(m_caption);
    layout->addWidget(plots, 1);

    connect(m_costModel, &QComboBox::activated, this,
            [this](int index) { Q_EMIT costModelRequested(m_costModel->itemData(index).toString()); });
    const auto requestRule = [this] { Q_EMIT budgetRuleRequested(ruleFromControls()); };
    connect(m_mode, &QComboBox::activated, this, requestRule);
    connect(m_batch, &QSpinBox::editingFinished, this, [this, requestRule] {
        if (m_session->budgetRule().serving && m_session->budgetRule().serving->batchSize != m_batch->value())
            requestRule();
    });
    connect(m_guarantee, &QCheckBox::clicked, this, requestRule);

    auto* deferred = new DeferredRefresh(this);
    const auto request = [this, deferred] { deferred->request([this] { refresh(); }); };
    for (auto signal : {&Session::predictionsLoaded, &Session::probabilitiesChanged,
                        &Session::snapshotChanged, &Session::budgetRuleChanged})
        connect(m_session, signal, this, request);
    connect(m_session, &Session::splitChanged, this, request);
    connect(m_session, &Session::predictionsLoaded, this, &ServingView::showSessionState);
    connect(m_session, &Session::probabilitiesChanged, this, &ServingView::showSessionState);
    connect(m_session, &Session::budgetRuleChanged, this, &ServingView::showSessionState);
    showSessionState();
    refresh();
}

BudgetRule ServingView::ruleFromControls() const {
    BudgetRule rule;
    const auto mode = static_cast<RunMode>(m_mode->currentData().toInt());
    if (mode != RunMode::Sample)
        rule.serving = ServingMode{mode, m_batch->value()};
    rule.guarantee = m_guarantee->isChecked() ? kGuaranteeConfidence : 0.0;
    return rule;
}

void ServingView::showSessionState() {
    const QSignalBlocker costBlocker(m_costModel);
    const QSignalBlocker modeBlocker(m_mode);
    const QSignalBlocker batchBlocker(m_batch);
    m_costModel->clear();
    setEnabled(m_session->hasPredictions());
    if (!m_session->hasPredictions())
        return;
    for (const CostVector& model : costModels(*m_session->modelPredictions()))
        m_costModel->addItem(QStringLiteral("%1 (%2)").arg(QString::fromStdString(model.name),
                                                           QString::fromStdString(model.unit)),
                             QString::fromStdString(model.name));
    m_costModel->setCurrentIndex(
        m_costModel->findData(QString::fromStdString(m_session->predictions()->costModel)));
    const BudgetRule& rule = m_session->budgetRule();
    const RunMode mode = rule.serving ? rule.serving->mode : RunMode::Sample;
    m_mode->setCurrentIndex(m_mode->findData(static_cast<int>(mode)));
    if (rule.serving)
        m_batch->setValue(rule.serving->batchSize);
    m_batch->setEnabled(rule.serving.has_value());
    m_guarantee->setChecked(rule.guarantee > 0);
}

QString ServingView::captionText() const {
    return m_caption->text();
}

void ServingView::refresh() {
    const auto& snapshot = m_session->snapshot();
    const SplitPolicy* shown =
        snapshot && snapshot->available ? snapshot->split(m_session->split()) : nullptr;
    if (!m_session->hasPredictions() || !shown) {
        const QString message = m_session->hasPredictions() ? tr("No policy to show yet") : QString();
        m_caption->setText(message);
        for (ServingPlot* plot : {m_costPlot, m_speedupPlot})
            plot->clearProfile(m_session->hasPredictions() ? message : QString());
        return;
    }
    const Predictions& predictions = *m_session->predictions();
    const ServingCostModel model(predictions);
    const auto counts = exitCounts(shown->outcome.exitOf, predictions.numExits);
    const ServingProfile profile =
        servingProfile(model, counts, profileBatchSizes(kLargestBatch, shown->data->numSamples));
    const BudgetRule& rule = m_session->budgetRule();
    const int chosen = rule.serving ? rule.serving->batchSize : m_batch->value();
    m_costPlot->setProfile(profile, chosen);
    m_speedupPlot->setProfile(profile, chosen);

    const QString unit = QString::fromStdString(profile.unit);
    QString text = tr("<b>%1</b> on the %2: one sample at a time %3 %4 per sample, %5 faster than the full "
                      "model.")
                       .arg(QString::fromStdString(snapshot->method), splitText(m_session->split()),
                            number(profile.sample), unit, speedup(profile.fullModelSample, profile.sample));
    const ServingMode sync{RunMode::Sync, chosen};
    const ServingMode compact{RunMode::Compact, chosen};
    const double full = model.staticCostPerSample(predictions.numExits - 1, sync);
    const double syncCost = model.costPerSample(counts, sync);
    const double compactCost = model.costPerSample(counts, compact);
    text += tr(" In batches of %1: compact %2 %3 (%4), sync %5 %3 (%6).")
                .arg(chosen)
                .arg(number(compactCost), unit, speedup(full, compactCost), number(syncCost),
                     speedup(full, syncCost));
    text += profile.measured
                ? tr(" Batch costs as measured for the file (/exits/batch_costs).")
                : tr(" The file has no measured batch costs: a batch is assumed to cost b times a sample, "
                     "so batching itself saves nothing here.");
    if (snapshot->rule && rule.guarantee > 0)
        text += tr(" Holding the budget on new data took a margin of %1 %2 and cost %3 pp of validation "
                   "accuracy.")
                    .arg(number(snapshot->rule->margin), unit)
                    .arg(snapshot->rule->accuracyCost, 0, 'f', 2);
    m_caption->setText(text);
}

} // namespace eenet
