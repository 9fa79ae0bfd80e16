#include "ServingSwitch.h"

#include "Error.h"
#include "ServingView.h"
#include "TrainingController.h"
#include "data/CostModels.h"
#include "session/Session.h"

#include <QMainWindow>
#include <QMessageBox>
#include <QStatusBar>

#include <functional>

namespace eenet {
namespace {

/// Runs `change` now, or after the user agreed to what it ends (`losses`, empty when nothing); `undo` puts
/// the view's controls back when the user declines.
void askThen(QMainWindow* window, const QString& losses, const QString& question,
             const std::function<void()>& change, const std::function<void()>& undo) {
    if (losses.isEmpty()) {
        change();
        return;
    }
    auto* box =
        new QMessageBox(QMessageBox::Question, QObject::tr("Change what budgets mean"),
                        losses + QLatin1Char(' ') + question, QMessageBox::Yes | QMessageBox::Cancel, window);
    box->setObjectName(QStringLiteral("servingSwitchBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::finished, window, [=](int answer) {
        if (answer == QMessageBox::Yes)
            change();
        else
            undo();
    });
    box->open();
}

QString ruleText(const BudgetRule& rule) {
    QString text = rule.serving ? QObject::tr("cost per sample served in %1 batches")
                                      .arg(QString::fromStdString(servingModeName(*rule.serving)))
                                : QObject::tr("average cost per sample");
    if (rule.guarantee > 0)
        text += QObject::tr(", held on new data with %1 % confidence").arg(100 * rule.guarantee);
    return text;
}

} // namespace

void connectServingSwitch(QMainWindow* window, ServingView* view, Session* session,
                          TrainingController* training) {
    QObject::connect(view, &ServingView::costModelRequested, window, [=](const QString& name) {
        if (!session->hasPredictions() || name.toStdString() == session->predictions()->costModel)
            return;
        const size_t trained = session->schedulers().size() + session->parkedSchedulers().size();
        QString losses;
        if (trained > 0)
            losses = QObject::tr("Budgets will be in another unit, so the %n trained EENet scheduler(s) end.",
                                 nullptr, static_cast<int>(trained));
        if (training->isRunning())
            losses += QObject::tr(" The training in progress stops.");
        if (session->customPolicy())
            losses += QObject::tr(" The thresholds set by hand end too.");
        askThen(
            window, losses.trimmed(), QObject::tr("Switch to %1?").arg(name),
            [=] {
                training->stopAndWait();
                try {
                    const std::string model = name.toStdString();
                    session->setCostModelPredictions(withCostModel(session->modelPredictions(), model),
                                                     withCostModel(session->calibratedPredictions(), model));
                    window->statusBar()->showMessage(
                        QObject::tr("Budgets, curves and schedulers are now in %1 (%2)")
                            .arg(name, QString::fromStdString(session->predictions()->costUnit)),
                        8000);
                } catch (const Error& e) {
                    QMessageBox::warning(window, QObject::tr("Cost model"), QString::fromUtf8(e.what()));
                }
            },
            [=] { view->showSessionState(); });
    });
    QObject::connect(view, &ServingView::budgetRuleRequested, window, [=](const BudgetRule& rule) {
        if (!session->hasPredictions())
            return;
        const QString losses =
            session->customPolicy()
                ? QObject::tr(
                      "Thresholds set by hand are fitted to no budget, so a new budget rule ends them.")
                : QString();
        askThen(
            window, losses, QObject::tr("Change the rule?"),
            [=] {
                session->setBudgetRule(rule);
                window->statusBar()->showMessage(
                    QObject::tr("Budgets now bound the %1").arg(ruleText(session->budgetRule())), 8000);
            },
            [=] { view->showSessionState(); });
    });
}

} // namespace eenet
