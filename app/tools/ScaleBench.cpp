#include "ScaleBench.h"

#include "MainWindow.h"
#include "PolicyController.h"
#include "SliderLatency.h"
#include "SpinUntil.h"
#include "data/DatasetSummary.h"
#include "data/SyntheticPredictions.h"
#include "eval/BootstrapBands.h"
#include "eval/CalibrationSummary.h"
#include "eval/ClassAccuracyChange.h"
#include "eval/CurveSweep.h"
#include "eval/Overthinking.h"
#include "eval/PolicySnapshot.h"
#include "io/PredictionsReader.h"
#include "session/Session.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSettings>

#include <chrono>
#include <iostream>

namespace eenet {
namespace {

/// Ten minutes: a computation that hangs must not hang the bench.
constexpr qint64 kPatienceMs = 600000;

template <typename Work> double secondsOf(Work work) {
    const auto begin = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
}

} // namespace

QJsonObject measureViewComputations(const std::shared_ptr<const Predictions>& predictions) {
    QJsonObject row{{"num_val", predictions->val.numSamples},
                    {"num_test", predictions->test ? predictions->test->numSamples : 0},
                    {"num_exits", predictions->numExits},
                    {"num_classes", predictions->numClasses}};
    auto time = [&row](const char* name, auto work) {
        const double seconds = secondsOf(work);
        std::cerr << "eenet-bench: " << name << " " << seconds << " s\n";
        row[QString::fromLatin1(name) + QStringLiteral("_s")] = seconds;
    };
    time("dataset_summary", [&] { summarize(*predictions); });
    time("calibration_summary", [&] { summarizeCalibration(*predictions); });
    Evaluator evaluator(predictions);
    time("exit_data", [&] {
        evaluator.exitData(Split::Val);
        if (evaluator.hasTest())
            evaluator.exitData(Split::Test);
    });
    std::vector<Curve> curves;
    for (const Method& method : heuristicMethods())
        time(("curve_" + method.name()).c_str(), [&] {
            for (Curve& curve : sweepCurves(predictions, {method}, 20))
                curves.push_back(std::move(curve));
        });
    const Curve& maxprob = curves.front();
    time("bootstrap_band_val", [&] { bootstrapBands(maxprob.val, *evaluator.exitData(Split::Val)); });
    const double budget = evaluator.sweepBudgets(3)[1];
    std::shared_ptr<const PolicySnapshot> shown;
    for (const char* name : {"maxprob", "entropy", "patience", "agreement", "maxprob-opt", "oracle"})
        time((std::string("snapshot_") + name).c_str(), [&] {
            shown = std::make_shared<const PolicySnapshot>(
                computeSnapshot(evaluator, *Method::parse(name), budget, {}));
        });
    const SplitPolicy& val = shown->splits.front();
    time("overthinking", [&] {
        compareExitsWithLast(*val.data);
        compareExitsWithLast(*val.data, val.outcome.exitOf);
    });
    time("class_accuracy_change", [&] { classAccuracyChanges(*val.data, val.outcome.exitOf); });
    return row;
}

QJsonObject measureLoadToQuiet(const std::shared_ptr<const Predictions>& predictions) {
    QSettings().clear();
    MainWindow window;
    window.resize(1280, 800);
    window.show();
    Session* session = window.session();
    QElapsedTimer clock;
    clock.start();
    session->setPredictions(predictions);
    const double setMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    double curvesS = 0, calibrationS = 0, bandsS = 0, snapshotS = 0;
    auto mark = [&clock](double& at, bool done) {
        if (done && at == 0)
            at = static_cast<double>(clock.nsecsElapsed()) / 1e9;
        return at > 0;
    };
    const bool quiet = spinUntil(
        [&] {
            const bool curves = mark(curvesS, !session->curves().empty());
            const bool calibration = mark(calibrationS, session->calibration() != nullptr);
            const bool bands =
                mark(bandsS, session->bands(session->method().name(), session->split()) != nullptr);
            const bool snapshot =
                mark(snapshotS, session->snapshot() != nullptr && !window.policyController()->isBusy());
            return curves && calibration && bands && snapshot;
        },
        kPatienceMs);
    window.close();
    return QJsonObject{{"num_val", predictions->val.numSamples},
                       {"num_exits", predictions->numExits},
                       {"num_classes", predictions->numClasses},
                       {"all_done", quiet},
                       {"set_predictions_ms", setMs},
                       {"first_snapshot_s", snapshotS},
                       {"curves_s", curvesS},
                       {"bands_s", bandsS},
                       {"calibration_s", calibrationS},
                       {"quiet_s", static_cast<double>(clock.nsecsElapsed()) / 1e9}};
}

QJsonObject measureScale(const QString& file, bool quick) {
    const int classes = quick ? 100 : 1000;
    const int samples = quick ? 2000 : 25000;
    const int moves = quick ? 20 : 200;
    auto synthetic = [&](int val, int test) {
        std::cerr << "eenet-bench: making synthetic " << val << " + " << test << " x 5 x " << classes << "\n";
        return std::make_shared<const Predictions>(makeSyntheticPredictions({5, classes, val, test, 1}));
    };
    auto label = [](const Predictions& p) {
        return QStringLiteral("N=%1+%2 K=%3 C=%4")
            .arg(p.val.numSamples)
            .arg(p.test ? p.test->numSamples : 0)
            .arg(p.numExits)
            .arg(p.numClasses);
    };
    QJsonObject result;
    QJsonArray sliders;
    {
        const std::shared_ptr<const Predictions> predictions =
            file.isEmpty() ? synthetic(samples, samples) : readPredictions(file.toStdString());
        result["input"] = file.isEmpty() ? QStringLiteral("synthetic ") + label(*predictions) : file;
        result["views"] = measureViewComputations(predictions);
        std::cerr << "eenet-bench: load to quiet\n";
        result["load_to_quiet"] = measureLoadToQuiet(predictions);
        for (const char* method : {"maxprob", "eenet", "maxprob-opt"}) {
            std::cerr << "eenet-bench: slider latency, " << label(*predictions).toStdString() << ", "
                      << method << "\n";
            sliders.append(measureSliderLatency(label(*predictions), predictions, method, moves));
        }
    }
    const auto large = synthetic(2 * samples, 0);
    for (const char* method : {"maxprob", "eenet", "maxprob-opt"}) {
        std::cerr << "eenet-bench: slider latency, " << label(*large).toStdString() << ", " << method << "\n";
        sliders.append(
            measureSliderLatency(QStringLiteral("synthetic ") + label(*large), large, method, moves));
    }
    result["slider"] = sliders;
    return result;
}

} // namespace eenet
