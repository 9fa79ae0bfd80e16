#include "TrainingActions.h"

#include "TrainingController.h"
#include "session/Session.h"

#include <QAction>
#include <QSettings>

namespace eenet {
namespace {

constexpr auto kTrainOnReleaseKey = "training/trainOnRelease";

} // namespace

TrainingActions::TrainingActions(Session* session, TrainingController* controller, int curveBudgets,
                                 QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_controller(controller)
    , m_train(new QAction(tr("&Train EENet at This Budget"), this))
    , m_trainCurve(new QAction(tr("Train EENet &Curve"), this))
    , m_cancel(new QAction(tr("&Cancel Training"), this))
    , m_trainOnRelease(new QAction(tr("Train When the Slider Is &Released"), this)) {
    // Short texts for the toolbar, full ones in the menu.
    m_train->setIconText(tr("Train"));
    m_trainCurve->setIconText(tr("Train curve"));
    m_cancel->setIconText(tr("Cancel"));
    m_trainOnRelease->setIconText(tr("Train on release"));
    m_train->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_train->setToolTip(tr("Train an EENet scheduler at the current budget in the background (Ctrl+T)"));
    m_trainCurve->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    m_trainCurve->setToolTip(
        tr("Train EENet at %1 budgets from c_1 to c_K; the points appear as they finish (Ctrl+Shift+T)")
            .arg(curveBudgets));
    m_cancel->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_cancel->setToolTip(tr("Stop training; schedulers already trained stay (Ctrl+.)"));
    m_trainOnRelease->setCheckable(true);
    m_trainOnRelease->setChecked(QSettings().value(kTrainOnReleaseKey, false).toBool());
    m_trainOnRelease->setToolTip(
        tr("With EENet chosen, train the exact budget whenever the slider is released"));

    connect(m_train, &QAction::triggered, this, [this] {
        if (!m_session->method().isLearned())
            m_session->setMethod(*Method::parse("eenet"));
        m_controller->train({trainingBudget(m_session->budget())});
    });
    connect(m_trainCurve, &QAction::triggered, this, [this, curveBudgets] {
        if (!m_session->method().isLearned())
            m_session->setMethod(*Method::parse("eenet"));
        m_controller->trainCurve(curveBudgets);
    });
    connect(m_cancel, &QAction::triggered, m_controller, &TrainingController::cancel);
    connect(m_trainOnRelease, &QAction::toggled, this,
            [](bool on) { QSettings().setValue(kTrainOnReleaseKey, on); });
    connect(m_controller, &TrainingController::runningChanged, this, &TrainingActions::updateEnabled);
    connect(m_session, &Session::predictionsLoaded, this, &TrainingActions::updateEnabled);
    updateEnabled();
}

void TrainingActions::onBudgetSettled(double budget) {
    if (m_trainOnRelease->isChecked() && m_session->method().isLearned())
        m_controller->train({trainingBudget(budget)});
}

double TrainingActions::trainingBudget(double budget) const {
    const BudgetRule& rule = m_session->budgetRule();
    if (rule.isDefault())
        return budget;
    // Schedulers are trained at per-sample budgets: the one the shown policy was fitted at when it is for
    // this budget, else where max score meets the rule.
    const auto& snapshot = m_session->snapshot();
    if (snapshot && snapshot->rule && snapshot->budget == budget)
        return snapshot->rule->fittedBudget;
    return Evaluator(m_session->predictions(), {}, rule).nominalBudget(budget);
}

void TrainingActions::updateEnabled() {
    const bool loaded = m_session->hasPredictions();
    m_train->setEnabled(loaded);
    m_trainCurve->setEnabled(loaded);
    m_cancel->setEnabled(m_controller->isRunning());
}

} // namespace eenet
