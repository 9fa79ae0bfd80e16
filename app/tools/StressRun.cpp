#include "StressRun.h"

#include "BudgetControl.h"
#include "LoadController.h"
#include "MainWindow.h"
#include "PolicyController.h"
#include "PolicyControls.h"
#include "SpinUntil.h"
#include "TrainingController.h"
#include "eval/TrainedScheduler.h"
#include "session/Session.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSlider>
#include <QTimer>

#include <random>

namespace eenet {
namespace {

constexpr qint64 kSettleMs = 600000;

/// Checks every result at the moment it reaches the session against the file loaded then.
class ResultChecker {
public:
    ResultChecker(Session* session, QStringList* violations)
        : m_session(session)
        , m_violations(violations) {
        QObject::connect(session, &Session::schedulersChanged, session, [this] { checkSchedulers(); });
        QObject::connect(session, &Session::snapshotChanged, session, [this] { checkSnapshot(); });
        QObject::connect(session, &Session::curvesChanged, session, [this] { checkCurves(); });
    }
    void checkAll() {
        checkSchedulers();
        checkSnapshot();
        checkCurves();
    }

private:
    void fail(const QString& what) {
        if (m_violations->size() < 20)
            m_violations->append(what + QStringLiteral(" (file %1)").arg(loaded()));
    }
    QString loaded() const { return QString::fromStdString(m_session->predictions()->sourcePath); }
    int exits() const { return m_session->predictions()->numExits; }

    void checkSchedulers() {
        for (const auto& scheduler : m_session->schedulers())
            if (scheduler->fit.scheduler.numExits != exits())
                fail(QStringLiteral("a scheduler with %1 exits").arg(scheduler->fit.scheduler.numExits));
    }
    void checkSnapshot() {
        const auto& snapshot = m_session->snapshot();
        if (!snapshot || !snapshot->available)
            return;
        const auto& val = snapshot->splits.front();
        if (static_cast<int>(val.outcome.exitFractions.size()) != exits() ||
            static_cast<int>(val.outcome.exitOf.size()) != m_session->predictions()->val.numSamples)
            fail(QStringLiteral("a snapshot of %1 (%2 exits, %3 samples)")
                     .arg(QString::fromStdString(snapshot->method))
                     .arg(val.outcome.exitFractions.size())
                     .arg(val.outcome.exitOf.size()));
    }
    void checkCurves() {
        for (const Curve& curve : m_session->curves())
            for (const MethodResult& point : curve.val)
                if (static_cast<int>(point.outcome.exitFractions.size()) != exits()) {
                    fail(QStringLiteral("a curve of %1 with %2 exits")
                             .arg(QString::fromStdString(curve.method))
                             .arg(point.outcome.exitFractions.size()));
                    return;
                }
    }

    Session* m_session;
    QStringList* m_violations;
};

} // namespace

StressReport runStress(MainWindow& window, const StressOptions& options) {
    StressReport report;
    Session* session = window.session();
    TrainingController* training = window.trainingController();
    QSlider* slider = window.policyControls()->budgetControl()->slider();
    QComboBox* methods = window.policyControls()->methodBox();
    QComboBox* splits = window.policyControls()->splitBox();
    std::mt19937 random(options.seed);
    const auto chance = [&random](int oneIn) {
        return std::uniform_int_distribution<int>(1, oneIn)(random) == 1;
    };
    const auto pick = [&random](int count) {
        return std::uniform_int_distribution<int>(0, count - 1)(random);
    };

    QObject::connect(training, &TrainingController::trained, &window,
                     [&report] { ++report.schedulersTrained; });
    window.openFile(options.fileA);
    if (!spinUntil([&] { return session->hasPredictions() && !window.loader()->isLoading(); }, kSettleMs)) {
        report.violations.append(QStringLiteral("%1 did not load").arg(options.fileA));
        return report;
    }
    ResultChecker checker(session, &report.violations);

    QElapsedTimer clock;
    clock.start();
    // The probe: a precise timer whose lateness is how long the GUI thread kept the event loop busy.
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QElapsedTimer sinceTick;
    QObject::connect(&probe, &QTimer::timeout, &window, [&] {
        if (sinceTick.isValid())
            report.latenessMs.push_back(
                std::max(0.0, static_cast<double>(sinceTick.nsecsElapsed()) / 1e6 - options.probeMs));
        sinceTick.start();
    });
    probe.start(options.probeMs);

    // One action per turn of the event loop, as a user's input events arrive between other work.
    bool nextIsA = false;
    QTimer driver;
    QEventLoop loop;
    QObject::connect(&driver, &QTimer::timeout, &window, [&] {
        if (report.sliderMoves == options.sliderMoves) {
            driver.stop();
            loop.quit();
            return;
        }
        const int step = std::uniform_int_distribution<int>(-40, 40)(random);
        slider->setValue(std::clamp(slider->value() + step, slider->minimum(), slider->maximum()));
        ++report.sliderMoves;
        if (chance(400)) {
            methods->setCurrentIndex(pick(methods->count()));
            ++report.methodSwitches;
        }
        if (chance(600)) {
            splits->setCurrentIndex(pick(splits->count()));
            ++report.splitSwitches;
        }
        if (chance(700) && !training->isRunning()) {
            training->trainCurve(6);
            ++report.trainingsStarted;
        }
        if (chance(600)) {
            training->cancel();
            ++report.cancels;
        }
        if (chance(700)) {
            window.openFile(nextIsA ? options.fileA : options.fileB);
            nextIsA = !nextIsA;
            ++report.reloads;
        }
    });
    driver.start(0);
    loop.exec();
    probe.stop();

    // Settle: the last requested file loaded, training finished or cancelled, the last snapshot in place.
    training->cancel();
    const QString last = nextIsA ? options.fileB : options.fileA;
    const bool settled = spinUntil(
        [&] {
            return !window.loader()->isLoading() && !training->isRunning() &&
                   !window.policyController()->isBusy();
        },
        kSettleMs);
    if (!settled)
        report.violations.append(QStringLiteral("the window did not settle"));
    else if (QString::fromStdString(session->predictions()->sourcePath) != last)
        report.violations.append(QStringLiteral("%1 is shown, %2 was opened last")
                                     .arg(QString::fromStdString(session->predictions()->sourcePath), last));
    checker.checkAll();
    report.seconds = static_cast<double>(clock.elapsed()) / 1000.0;
    return report;
}

} // namespace eenet
