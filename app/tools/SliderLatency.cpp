#include "SliderLatency.h"

#include "BudgetControl.h"
#include "CurveController.h"
#include "MainWindow.h"
#include "PolicyController.h"
#include "PolicyControls.h"
#include "SpinUntil.h"
#include "TrainingController.h"
#include "eval/Percentile.h"
#include "session/Session.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSettings>
#include <QSlider>
#include <QTabWidget>

namespace eenet {
namespace {

/// Ten minutes: a hung redraw must not hang the bench.
constexpr qint64 kPatienceMs = 600000;

} // namespace

QJsonObject measureSliderLatency(const QString& label, std::shared_ptr<const Predictions> predictions,
                                 const std::string& method, int moves, const QString& centreTab) {
    // Every measurement starts from the default layout (the thresholds in front of the bottom docks), not
    // from the one the previous window left (training raises its dock). The bench has settings of its own.
    QSettings().clear();
    MainWindow window;
    window.resize(1280, 800);
    window.show();
    for (int tab = 0; tab < window.stage()->count(); ++tab)
        if (window.stage()->tabText(tab) == centreTab)
            window.stage()->setCurrentIndex(tab);
    Session* session = window.session();
    session->setPredictions(predictions);
    // Until the work a load starts is done (curves, calibration summary): moves measure the slider, not
    // the load (ScaleBench's load-to-quiet measures that).
    spinUntil(
        [&] {
            return !session->curves().empty() && session->calibration() &&
                   !window.policyController()->isBusy();
        },
        kPatienceMs);
    if (method == "eenet" || method == "eenet-opt") {
        // One trained scheduler: the slider then shows it re-thresholded, the path a user drags through.
        bool trained = false;
        QObject::connect(window.trainingController(), &TrainingController::trained, &window,
                         [&trained] { trained = true; });
        window.trainingController()->train({session->budget()});
        spinUntil([&] { return trained; }, kPatienceMs);
    }
    session->setMethod(*Method::parse(method));
    spinUntil([&] { return !window.policyController()->isBusy(); }, kPatienceMs);
    // A selected bar, so the inspector's table refreshes on every move too.
    const auto& exitOf = session->snapshot()->splits.front().outcome.exitOf;
    SampleSelection selection{Split::Val, {}, QStringLiteral("exit 1")};
    for (int i = 0; i < static_cast<int>(exitOf.size()); ++i)
        if (exitOf[static_cast<size_t>(i)] == 0)
            selection.indices.push_back(i);
    session->setSelection(selection);

    QSlider* slider = window.policyControls()->budgetControl()->slider();
    std::vector<double> milliseconds;
    QElapsedTimer clock;
    for (int move = 1; move <= moves; ++move) {
        // Across the whole range and back, as a user sweeping the slider.
        const int target = (move * 37) % (BudgetControl::kSliderSteps + 1);
        clock.start();
        slider->setValue(target);
        const double budget = session->budget();
        spinUntil(
            [&] {
                return !window.policyController()->isBusy() && session->snapshot() &&
                       session->snapshot()->budget == budget;
            },
            kPatienceMs);
        // Queued replots and the paint events they post.
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        milliseconds.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
    }
    window.close();
    return QJsonObject{{"input", label},
                       {"num_val", predictions->val.numSamples},
                       {"num_exits", predictions->numExits},
                       {"num_classes", predictions->numClasses},
                       {"method", QString::fromStdString(method)},
                       {"centre_view", window.stage()->tabText(window.stage()->currentIndex())},
                       {"moves", moves},
                       {"slider_to_redraw_median_ms", nearestRankPercentile(milliseconds, 0.5)},
                       {"slider_to_redraw_p95_ms", nearestRankPercentile(milliseconds, 0.95)},
                       {"slider_to_redraw_max_ms", nearestRankPercentile(milliseconds, 1.0)}};
}

} // namespace eenet
